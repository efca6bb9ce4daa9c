#pragma once
// The raw byte tunnel after a 101 Switching Protocols (WebSocket pass-through): bytes
// are copied both ways until both sides have closed; an EOF is passed on as a TCP
// half-close where the receiving side is plain TCP (a TLS side cannot half-close
// without waiting for the peer, so the tunnel then ends). The tunnel ends after
// `idle` without bytes in either direction, or on any error.
//
// Thread contract: the connections' io_context thread.
#include "edge/proxy/buffer_pool.hpp"
#include "edge/proxy/deadline.hpp"
#include "edge/proxy/stream.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace gatehouse::edge {

struct TunnelEnd {
  Stream& stream;
  Deadline& deadline;
  boost::beast::flat_buffer& pending;  // bytes already read from this side, sent first
};

boost::asio::awaitable<void> run_tunnel(TunnelEnd client, TunnelEnd origin, Deadline::clock::duration idle,
                                        BufferPool& buffers);

}  // namespace gatehouse::edge
