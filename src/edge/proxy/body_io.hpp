#pragma once
// Streaming a message body one piece at a time through a fixed buffer, with deadlines.
// Used for request bodies (client → origin), response bodies (origin → client) and
// for discarding a body the Gate answered without forwarding.
//
// Thread contract: the connection's io_context thread.
#include "edge/proxy/deadline.hpp"
#include "edge/proxy/framing.hpp"
#include "edge/proxy/head_writer.hpp"
#include "edge/proxy/stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

namespace gatehouse::edge {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
using ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

inline constexpr auto kAsTuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Bytes asked of the kernel per read of a message (head or body).
inline constexpr std::size_t kReadBytes = 16 * 1024;

// A small gather list: a head, chunk framing, data and a terminator in one write.
class BufferList {
 public:
  using value_type = boost::asio::const_buffer;
  using const_iterator = const boost::asio::const_buffer*;
  void add(const void* p, std::size_t n) {
    if (n) items_[count_++] = boost::asio::const_buffer(p, n);
  }
  void add(std::string_view s) { add(s.data(), s.size()); }
  const_iterator begin() const { return items_.data(); }
  const_iterator end() const { return items_.data() + count_; }
  bool empty() const { return count_ == 0; }

 private:
  std::array<boost::asio::const_buffer, 6> items_{};
  std::size_t count_ = 0;
};

// Appends one body piece with its framing: chunked pieces get a size line and CRLF,
// and the last piece the terminating zero chunk (no trailers: they are dropped).
// `storage` holds the size line and must live until the write completes.
inline void add_body_piece(BufferList& list, char (&storage)[20], const char* data, std::size_t n,
                           BodyFraming framing, bool last) {
  if (framing == BodyFraming::chunked) {
    if (n) {
      list.add(storage, format_chunk_header(storage, n));
      list.add(data, n);
      list.add("\r\n", 2);
    }
    if (last) list.add("0\r\n\r\n", 5);
  } else {
    list.add(data, n);
  }
}

// Writes everything in `buffers` within `timeout`; completes with (error_code).
// A composed operation rather than a coroutine: per body piece it allocates nothing
// (a nested coroutine frame would be allocated per call).
template <class Buffers, class Token>
auto async_write_all(Stream& s, Deadline& deadline, const Buffers& buffers, Deadline::clock::duration timeout,
                     Token&& token) {
  return boost::asio::async_compose<Token, void(boost::system::error_code)>(
      [&s, &deadline, buffers, timeout, started = false](auto& self, boost::system::error_code ec = {},
                                                         std::size_t = 0) mutable {
        if (!started) {
          started = true;
          deadline.arm_write(timeout);
          boost::asio::async_write(s, buffers, std::move(self));
          return;
        }
        deadline.disarm_write();
        self.complete(ec);
      },
      token, s);
}

// The awaitable form: `auto [ec] = co_await write_all(...)`.
template <class Buffers>
auto write_all(Stream& s, Deadline& deadline, const Buffers& buffers, Deadline::clock::duration timeout) {
  return async_write_all(s, deadline, buffers, timeout, kAsTuple);
}

// True when reading a body failed on its framing (a bad chunk size or line ending,
// an overflowing size), not on the connection: the client gets a 400, not a close.
inline bool is_body_framing_error(const boost::system::error_code& ec) {
  namespace bhttp = boost::beast::http;
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_chunk).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message && ec != bhttp::error::need_more &&
         ec != bhttp::error::need_buffer && ec != bhttp::error::body_limit;
}

// Bytes the parser left unconsumed with need_more in a chunked body are a partial
// chunk-size line or trailer. Beast waits for their CRLF; a bare LF among them, or a
// line longer than any honest one, will never become valid (RFC 9112 §7.1), so they
// are refused now instead of waiting for the client's timeout.
inline bool is_stuck_chunk_line(const boost::beast::flat_buffer& buffer) {
  constexpr std::size_t kMaxChunkLine = 4096;
  const auto* p = static_cast<const char*>(buffer.data().data());
  const std::size_t n = buffer.size();
  if (n > kMaxChunkLine) return true;
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) return true;
  return false;
}

// True for the ways a peer ends a connection: EOF, or (TLS) a close without close_notify.
inline bool is_eof(const boost::system::error_code& ec) {
  return ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated;
}

// Parses body bytes already in `buffer` into out[0, cap), without I/O: the first
// piece of a response goes out with its head only if it is already here, so that a
// slow or streamed body never delays the head.
template <class Parser>
std::pair<boost::system::error_code, std::size_t> parse_buffered_body(boost::beast::flat_buffer& buffer,
                                                                      Parser& parser, char* out, std::size_t cap) {
  namespace bhttp = boost::beast::http;
  boost::system::error_code ec;
  if (parser.is_done() || buffer.size() == 0) return {ec, 0};
  auto& body = parser.get().body();
  body.data = out;
  body.size = cap;
  parser.eager(true);
  buffer.consume(parser.put(buffer.data(), ec));
  if (ec == bhttp::error::need_buffer || ec == bhttp::error::need_more) ec = {};
  const std::size_t got = cap - body.size;
  body.data = nullptr;
  body.size = 0;
  return {ec, got};
}

// Reads the next piece of the body of `parser` (whose head is done) into out[0, cap);
// completes with (error_code, bytes). Parses what is buffered before reading the
// socket; completes as soon as some body bytes are available (so streamed responses
// such as server-sent events flow), or the body is complete (then the count may be
// 0). A body delimited by the end of the connection completes at EOF. Each socket
// read must complete within `timeout`. A composed operation, like async_write_all.
template <class Parser, class Token>
auto async_read_body_some(Stream& s, Deadline& deadline, boost::beast::flat_buffer& buffer, Parser& parser, char* out,
                          std::size_t cap, Deadline::clock::duration timeout, Token&& token) {
  namespace bhttp = boost::beast::http;
  return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
      [&s, &deadline, &buffer, &parser, out, cap, timeout, reading = false](
          auto& self, boost::system::error_code ec = {}, std::size_t n = 0) mutable {
        auto& body = parser.get().body();
        auto finish = [&](boost::system::error_code result) {
          const std::size_t got = result ? 0 : cap - body.size;
          body.data = nullptr;
          body.size = 0;
          self.complete(result, got);
        };
        if (!reading) {
          body.data = out;
          body.size = cap;
          parser.eager(true);
        } else {
          reading = false;
          deadline.disarm_read();
          buffer.commit(n);
          if (is_eof(ec)) {
            boost::system::error_code eof_ec;
            parser.put_eof(eof_ec);  // completes a close-delimited body; partial_message otherwise
            return finish(eof_ec);
          }
          if (ec) return finish(ec);
        }
        if (!parser.is_done() && buffer.size() != 0) {
          boost::system::error_code pec;
          buffer.consume(parser.put(buffer.data(), pec));
          if (pec == bhttp::error::need_buffer) return finish({});  // `out` is full
          if (pec && pec != bhttp::error::need_more) return finish(pec);
          if (pec == bhttp::error::need_more && parser.chunked() && is_stuck_chunk_line(buffer))
            return finish(bhttp::error::bad_chunk);
        }
        if (parser.is_done() || body.size != cap) return finish({});  // do not wait when we have some
        reading = true;
        deadline.arm_read(timeout);
        // One read can fill one piece: fewer system calls per byte on large bodies.
        s.async_read_some(buffer.prepare(std::max(cap, kReadBytes)), std::move(self));
      },
      token, s);
}

// The awaitable form: `auto [ec, n] = co_await read_body_some(...)`.
template <class Parser>
auto read_body_some(Stream& s, Deadline& deadline, boost::beast::flat_buffer& buffer, Parser& parser, char* out,
                    std::size_t cap, Deadline::clock::duration timeout) {
  return async_read_body_some(s, deadline, buffer, parser, out, cap, timeout, kAsTuple);
}

}  // namespace gatehouse::edge
