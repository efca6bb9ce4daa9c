#pragma once
// Proxies one request to its origin and the response back, streaming both bodies
// through fixed buffers (never buffering a body whole).
//
// The request body is sent while the response is read (two coroutines on the
// connection's thread), so an origin that answers early (413, 401) is relayed, and
// 1xx interim responses (100 Continue for Expect) reach the client while it waits.
//
// Thread contract: the session's io_context thread; one run() at a time.
#include "edge/gate.hpp"
#include "edge/proxy/body_io.hpp"
#include "edge/proxy/hop_by_hop.hpp"
#include "edge/proxy/upstream_connection.hpp"
#include "edge/proxy/worker_env.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>

namespace gatehouse::edge {

// The session's client connection, as the forwarder sees it.
struct ClientConnection {
  Stream& stream;
  Deadline& deadline;
  boost::beast::flat_buffer& buffer;  // bytes read from the client, not parsed yet
  std::string_view peer_ip;
};

enum class ForwardOutcome {
  keep_alive,    // the exchange completed; the client may send another request
  close,         // close the client connection
  close_unread,  // close, but the client may still be sending a body: linger first
};

class Forwarder {
 public:
  explicit Forwarder(WorkerEnv& env) : env_(env) {}

  // `head` and `tokens` describe the request parsed by `request` (head complete).
  boost::asio::awaitable<ForwardOutcome> run(ClientConnection& client, RequestParser& request,
                                             const RequestHead& head, const ConnectionTokens& tokens,
                                             const Forward& forward);

  // stop() deadline: abort the origin side of the exchange in progress.
  void force_close() {
    if (conn_) conn_->stream.close();
  }

 private:
  struct Exchange {
    bool upload_done = false;      // the whole request body went to the origin
    bool upload_failed = false;    // writing to the origin failed
    bool body_started = false;     // request body bytes were read from the client
    bool head_received = false;    // a final response head arrived
    bool response_started = false; // bytes of the final response went to the client
    bool response_done = false;
    bool client_keep_alive = false;
    bool client_failed = false;    // the client went away or stalled: nothing to answer
    bool aborted = false;          // one side gave up; the other stops quietly
    bool tunnel = false;           // 101 for a WebSocket upgrade relayed
    bool retryable = false;        // the origin closed before sending any byte
    std::optional<proxy_errc> failure;
  };

  boost::asio::awaitable<void> upload(ClientConnection& client, RequestParser& request, const Upstream& up);
  boost::asio::awaitable<void> download(ClientConnection& client, RequestParser& request, const RequestHead& head,
                                        const Forward& forward);
  boost::asio::awaitable<ForwardOutcome> finish(ClientConnection& client, RequestParser& request,
                                                const RequestHead& head, const Forward& forward);
  void abort_upload(ClientConnection& client, RequestParser& request);
  void abort_download();
  std::size_t piece_capacity(Stream& destination) const;

  WorkerEnv& env_;
  std::string request_head_;   // kept for a retry on another connection
  std::string response_head_;
  std::optional<ResponseParser> response_;
  ConnectionTokens response_tokens_;
  std::unique_ptr<UpstreamConnection> conn_;
  BodyFraming request_framing_ = BodyFraming::none;
  BodyFraming response_framing_ = BodyFraming::none;
  bool head_request_ = false;
  bool websocket_ = false;
  Exchange x_;
};

}  // namespace gatehouse::edge
