#include "edge/proxy/forwarder.hpp"

#include "edge/proxy/head_writer.hpp"
#include "edge/proxy/local_response.hpp"
#include "edge/proxy/tunnel.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/http/read.hpp>

namespace gatehouse::edge {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

// Origins may send large Set-Cookie or CSP headers; this bounds what we buffer.
constexpr std::uint32_t kOriginHeaderLimit = 64 * 1024;

bool is_idempotent(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
    case bhttp::verb::head:
    case bhttp::verb::options:
    case bhttp::verb::trace:
    case bhttp::verb::put:
    case bhttp::verb::delete_:
      return true;
    default:
      return false;
  }
}

// RFC 6455 §4.1: a GET over HTTP/1.1 with Upgrade: websocket and Connection: upgrade.
bool is_websocket_upgrade(const bhttp::request_header<>& req, const ConnectionTokens& tokens) {
  if (req.method() != bhttp::verb::get || req.version() != 11 || !tokens.upgrade()) return false;
  for (const auto& f : req) {
    if (f.name() != bhttp::field::upgrade) continue;
    for (auto token : bhttp::token_list{f.value()})
      if (http::iequals(std::string_view(token.data(), token.size()), "websocket")) return true;
  }
  return false;
}

const std::vector<http::Header> kNoHeaders;

}  // namespace

std::size_t Forwarder::piece_capacity(Stream& destination) const {
  // Over TLS, a chunk with its framing must fit one 16 KiB record (see stream.hpp).
  return destination.is_tls() ? 16 * 1024 - 32 : BufferPool::kBufferBytes;
}

asio::awaitable<ForwardOutcome> Forwarder::run(ClientConnection& client, RequestParser& request,
                                               const RequestHead& head, const ConnectionTokens& tokens,
                                               const Forward& forward) {
  using namespace asio::experimental::awaitable_operators;
  const Upstream& up = *forward.upstream;
  const auto& req = request.get();
  head_request_ = req.method() == bhttp::verb::head;
  websocket_ = is_websocket_upgrade(req, tokens);

  RequestHeadParams p;
  p.target = forward.target.empty() ? head.target : std::string_view(forward.target);
  p.peer_ip = client.peer_ip;
  p.tls = head.tls;
  p.websocket = websocket_;
  if (request.chunked()) {
    p.framing = BodyFraming::chunked;
  } else if (const auto length = request.content_length()) {
    p.framing = BodyFraming::length;  // also "Content-Length: 0": some origins require it on POST
    p.content_length = *length;
  }
  request_framing_ = p.framing;
  write_request_head(request_head_, req, tokens, p, forward);

  const bool has_body = !request.is_done();
  for (int attempt = 0;; ++attempt) {
    x_ = {};
    x_.upload_done = !has_body;
    conn_ = env_.pool.take(up);
    if (!conn_) {
      auto connected = co_await connect_upstream(up, env_.client_tls);
      if (!connected.connection) {
        x_.failure = connected.error;
        break;
      }
      conn_ = std::move(connected.connection);
    }
    const bool reused = conn_->reused;
    if (auto [ec] = co_await write_all(conn_->stream, conn_->deadline, asio::buffer(request_head_), up.timeouts.idle);
        ec) {
      const bool expired = conn_->deadline.expired();
      conn_.reset();
      // A pooled connection the origin had closed: nothing reached it, try a fresh one.
      if (reused && attempt == 0 && !expired) continue;
      x_.failure = expired ? proxy_errc::origin_timeout : proxy_errc::origin_reset;
      break;
    }
    if (has_body)
      co_await (upload(client, request, up) && download(client, request, head, forward));
    else
      co_await download(client, request, head, forward);
    // A pooled connection closed under us before any response byte: safe to repeat
    // only when the request is idempotent and has no body (already consumed).
    if (x_.retryable && reused && attempt == 0 && !has_body && is_idempotent(req.method())) {
      conn_.reset();
      continue;
    }
    break;
  }
  co_return co_await finish(client, request, head, forward);
}

asio::awaitable<void> Forwarder::upload(ClientConnection& client, RequestParser& request, const Upstream& up) {
  auto& u = *conn_;
  auto lease = env_.buffers.take();
  const std::size_t cap = piece_capacity(u.stream);
  for (;;) {
    auto [ec, n] = co_await read_body_some(client.stream, client.deadline, client.buffer, request, lease.data(), cap,
                                           env_.options.client_timeout);
    if (x_.aborted) co_return;
    if (ec) {
      // The origin already has the head: its connection is closed (never pooled
      // half-used) and, if no response went out yet, the client gets the 400/413.
      if (ec == bhttp::error::body_limit)
        x_.failure = proxy_errc::body_too_large;
      else if (is_body_framing_error(ec))
        x_.failure = proxy_errc::malformed_body;
      else
        x_.client_failed = true;
      abort_download();
      co_return;
    }
    if (n) x_.body_started = true;
    const bool last = request.is_done();
    BufferList list;
    char size_line[20];
    add_body_piece(list, size_line, lease.data(), n, request_framing_, last);
    if (!list.empty()) {
      auto [wec] = co_await write_all(u.stream, u.deadline, list, up.timeouts.idle);
      if (x_.aborted) co_return;
      if (wec) {
        // The origin stopped reading. It may have answered already (413, 401): the
        // download relays that, or reports the failure; bound its wait.
        x_.upload_failed = true;
        if (!x_.head_received) u.deadline.arm_read(up.timeouts.response_header);
        co_return;
      }
    }
    if (last) break;
  }
  x_.upload_done = true;
  // "Time to the origin's response head" counts from the end of the request.
  if (!x_.head_received) u.deadline.arm_read(up.timeouts.response_header);
}

asio::awaitable<void> Forwarder::download(ClientConnection& client, RequestParser& request, const RequestHead& head,
                                          const Forward& forward) {
  auto& u = *conn_;
  const auto& timeouts = forward.upstream->timeouts;
  const auto client_timeout = env_.options.client_timeout;
  bool got_any = false;
  for (;;) {  // interim (1xx) responses, then the final one
    response_.emplace();
    response_->header_limit(kOriginHeaderLimit);
    response_->body_limit(boost::none);
    if (head_request_) response_->skip(true);
    if (x_.upload_done) u.deadline.arm_read(timeouts.response_header);
    auto [ec, n] = co_await bhttp::async_read_header(u.stream, u.buffer, *response_, kAsTuple);
    u.deadline.disarm_read();
    if (x_.aborted) co_return;
    if (ec) {
      const bool expired = u.deadline.expired();
      got_any = got_any || response_->got_some();
      if (expired)
        x_.failure = proxy_errc::origin_timeout;
      else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
        x_.failure = proxy_errc::origin_bad_response;
      else
        x_.failure = proxy_errc::origin_reset;
      x_.retryable = !got_any && !expired;
      abort_upload(client, request);
      co_return;
    }
    got_any = true;
    auto& res = response_->get();
    const unsigned status = res.result_int();
    if (status / 100 != 1) break;
    if (status == 101) {
      if (!websocket_) {
        x_.failure = proxy_errc::origin_bad_response;  // switching protocols nobody asked for
        abort_upload(client, request);
        co_return;
      }
      x_.head_received = true;
      response_tokens_.parse(res);
      ResponseHeadParams hp;
      hp.switching = true;
      write_response_head(response_head_, res, response_tokens_, hp, forward.add_response_headers);
      x_.response_started = true;
      if (auto [wec] = co_await write_all(client.stream, client.deadline, asio::buffer(response_head_), client_timeout);
          wec) {
        x_.client_failed = true;
        co_return;
      }
      x_.tunnel = true;
      x_.response_done = true;
      co_return;
    }
    // 100 Continue, 102, 103: relayed to HTTP/1.1 clients (RFC 9110 §15.2), not to 1.0 ones.
    if (head.version >= 11) {
      response_tokens_.parse(res);
      ResponseHeadParams hp;
      write_response_head(response_head_, res, response_tokens_, hp, kNoHeaders);
      if (auto [wec] = co_await write_all(client.stream, client.deadline, asio::buffer(response_head_), client_timeout);
          wec) {
        x_.client_failed = true;
        abort_upload(client, request);
        u.stream.close();
        co_return;
      }
    }
  }

  x_.head_received = true;
  auto& res = response_->get();
  response_tokens_.parse(res);
  const auto length = response_->content_length();
  ResponseHeadParams hp;
  hp.plan = plan_response(res.result_int(), head_request_, length.has_value(), head.version, request.keep_alive());
  hp.plan.keep_alive = hp.plan.keep_alive && !env_.stopping;
  // An answer before the whole request body arrived, from an origin that will not read
  // the rest: the client connection cannot be reused, so say so.
  if (!request.is_done() && (x_.upload_failed || !response_->keep_alive())) hp.plan.keep_alive = false;
  hp.content_length = length.value_or(0);
  hp.head_request = head_request_;
  hp.client_version = head.version;
  write_response_head(response_head_, res, response_tokens_, hp, forward.add_response_headers);
  x_.client_keep_alive = hp.plan.keep_alive;
  response_framing_ = hp.plan.framing;

  auto lease = env_.buffers.take();
  const std::size_t cap = piece_capacity(client.stream);
  auto [pec, first] = parse_buffered_body(u.buffer, *response_, lease.data(), cap);
  if (pec) {
    x_.failure = proxy_errc::origin_bad_response;
    abort_upload(client, request);
    co_return;
  }
  bool last = response_->is_done();
  BufferList list;
  char size_line[20];
  list.add(response_head_);
  add_body_piece(list, size_line, lease.data(), first, response_framing_, last);
  x_.response_started = true;
  if (auto [ec] = co_await write_all(client.stream, client.deadline, list, client_timeout); ec) {
    x_.client_failed = true;
    abort_upload(client, request);
    u.stream.close();
    co_return;
  }
  while (!last) {
    auto [ec, n] = co_await read_body_some(u.stream, u.deadline, u.buffer, *response_, lease.data(), cap,
                                           timeouts.idle);
    if (x_.aborted) co_return;
    if (ec) {
      // Mid-body: the client sees its connection close (a truncated response).
      x_.failure = u.deadline.expired() ? proxy_errc::origin_timeout : proxy_errc::origin_reset;
      abort_upload(client, request);
      co_return;
    }
    last = response_->is_done();
    BufferList piece;
    add_body_piece(piece, size_line, lease.data(), n, response_framing_, last);
    if (piece.empty()) continue;
    if (auto [wec] = co_await write_all(client.stream, client.deadline, piece, client_timeout); wec) {
      x_.client_failed = true;
      abort_upload(client, request);
      u.stream.close();
      co_return;
    }
  }
  x_.response_done = true;
  // The origin answered before the whole request body was read (e.g. 413): stop
  // reading it. If all of it was read and only the last write is in flight, let it end.
  if (!x_.upload_done && !request.is_done()) abort_upload(client, request);
}

void Forwarder::abort_upload(ClientConnection& client, RequestParser& request) {
  if (x_.upload_done || x_.upload_failed) return;
  x_.aborted = true;
  if (!request.is_done()) client.stream.cancel();  // the upload's pending read of the client
  if (conn_) conn_->stream.close();                // or its pending write to the origin
}

void Forwarder::abort_download() {
  x_.aborted = true;
  if (conn_) conn_->stream.close();
}

asio::awaitable<ForwardOutcome> Forwarder::finish(ClientConnection& client, RequestParser& request,
                                                  const RequestHead& head, const Forward& forward) {
  const Upstream& up = *forward.upstream;
  if (x_.tunnel && conn_ && !x_.client_failed) {
    co_await run_tunnel(TunnelEnd{client.stream, client.deadline, client.buffer},
                        TunnelEnd{conn_->stream, conn_->deadline, conn_->buffer}, up.timeouts.idle, env_.buffers);
    conn_.reset();
    co_return ForwardOutcome::close;
  }
  if (conn_) {
    const bool reusable = x_.response_done && x_.upload_done && !x_.aborted && !x_.failure && !x_.tunnel &&
                          response_ && response_->keep_alive() && conn_->buffer.size() == 0 && !env_.stopping;
    if (reusable) {
      conn_->reused = false;
      env_.pool.put(up, std::move(conn_));
    }
    conn_.reset();
  }
  if (x_.client_failed) co_return ForwardOutcome::close;
  if (x_.failure && !x_.response_started) {
    // Nothing of a response went out yet: answer with the Gate's error page.
    const bool keep = request.is_done() && request.keep_alive() && !env_.stopping;
    const auto r = make_error_response(env_.gate, *x_.failure, &head);
    const auto ec = co_await send_local_response(client.stream, client.deadline, response_head_, r, head_request_,
                                                 keep, head.version, env_.options.client_timeout);
    if (ec) co_return ForwardOutcome::close;
    if (keep) co_return ForwardOutcome::keep_alive;
    co_return request.is_done() ? ForwardOutcome::close : ForwardOutcome::close_unread;
  }
  if (x_.failure || !x_.response_done) co_return ForwardOutcome::close;  // truncated response
  if (!request.is_done()) co_return ForwardOutcome::close_unread;
  co_return x_.client_keep_alive ? ForwardOutcome::keep_alive : ForwardOutcome::close;
}

}  // namespace gatehouse::edge
