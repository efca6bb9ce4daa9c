#include "edge/proxy/session.hpp"

#include "edge/proxy/local_response.hpp"
#include "edge/proxy/request_checks.hpp"

#include <boost/beast/http/error.hpp>

namespace gatehouse::edge {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kHeadReadBytes = 4096;
// A body the Gate answered without forwarding is read and dropped up to this size to
// keep the connection; beyond it the connection closes after the answer.
constexpr std::uint64_t kDiscardLimit = 64 * 1024;
// After an answer that leaves request bytes unread, keep reading (and dropping) for
// this long before the close, so the client reads the answer rather than a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr auto kTlsShutdownTime = std::chrono::seconds(1);
// A client buffer grown by a large head or body is released between requests, so
// idle keep-alive connections stay small.
constexpr std::size_t kKeepBufferBytes = 16 * 1024;

std::string peer_address(tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return {};
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a.to_string();
}

}  // namespace

Session::Session(WorkerEnv& env, tcp::socket socket, TlsContextPtr tls)
    : env_(env),
      tls_context_(std::move(tls)),
      stream_(tls_context_ ? Stream(std::move(socket), *tls_context_) : Stream(std::move(socket))),
      deadline_(stream_.get_executor(), stream_.socket()),
      client_{stream_, deadline_, buffer_, {}},
      forwarder_(env) {}

void Session::close_if_idle() {
  if (idle_) stream_.close();
}

void Session::force_close() {
  forwarder_.force_close();
  stream_.close();
}

asio::awaitable<void> Session::run() {
  peer_ip_ = peer_address(stream_.socket());
  client_.peer_ip = peer_ip_;
  if (stream_.is_tls()) {
    deadline_.arm_read(env_.options.head_timeout);
    deadline_.arm_write(env_.options.head_timeout);
    auto [ec] = co_await stream_.tls().async_handshake(asio::ssl::stream_base::server, kAsTuple);
    deadline_.disarm();
    if (ec) {
      stream_.close();
      co_return;
    }
  }
  bool linger = false;
  for (;;) {
    const auto r = co_await read_head();
    if (r == HeadResult::closed) break;
    ForwardOutcome outcome;
    if (r == HeadResult::refused) {
      const bool parsed = parser_->is_header_done();
      outcome = co_await refuse(refused_, parsed ? &build_head(parser_->get().target()) : nullptr);
    } else {
      outcome = co_await handle_request();
    }
    if (outcome != ForwardOutcome::keep_alive || env_.stopping) {
      linger = outcome == ForwardOutcome::close_unread;
      break;
    }
    first_request_ = false;
    if (buffer_.size() == 0 && buffer_.capacity() > kKeepBufferBytes) buffer_.shrink_to_fit();
  }
  co_await close(linger);
}

asio::awaitable<Session::HeadResult> Session::read_head() {
  const auto& o = env_.options;
  parser_.emplace();
  parser_->header_limit(o.header_limit);
  if (o.body_limit)
    parser_->body_limit(*o.body_limit);
  else
    parser_->body_limit(boost::none);
  bool started = false;
  Deadline::clock::time_point head_deadline{};
  std::string taken;  // head bytes of earlier reads (read_head_step)
  for (;;) {
    if (buffer_.size() != 0) {
      if (!started) {
        // The head deadline runs from its first byte (slow-loris bound).
        started = true;
        head_deadline = Deadline::clock::now() + o.head_timeout;
      }
      idle_ = false;
      const auto step = read_head_step(
          *parser_, std::string_view(static_cast<const char*>(buffer_.data().data()), buffer_.size()), taken, o.header_limit);
      buffer_.consume(step.consumed);
      if (step.finished) {
        if (!step.problem) co_return HeadResult::ok;
        refused_ = *step.problem;
        co_return HeadResult::refused;
      }
    }
    if (started) {
      deadline_.set_read(head_deadline);
    } else {
      idle_ = true;
      deadline_.arm_read(first_request_ ? o.head_timeout : o.keep_alive_timeout);
    }
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kHeadReadBytes), kAsTuple);
    deadline_.disarm_read();
    // EOF, reset, timeout or stop(): nobody is waiting for an answer.
    if (ec) co_return HeadResult::closed;
    buffer_.commit(n);
  }
}

const RequestHead& Session::build_head(std::string_view target) {
  const auto& req = parser_->get();
  header_refs_.clear();
  for (const auto& f : req) header_refs_.push_back({f.name_string(), f.value()});
  head_.method = req.method_string();
  head_.target = target;
  head_.version = req.version();
  head_.headers = header_refs_;
  head_.remote_ip = peer_ip_;
  head_.tls = stream_.is_tls();
  return head_;
}

asio::awaitable<ForwardOutcome> Session::handle_request() {
  const auto& req = parser_->get();
  const auto host = req.find(bhttp::field::host);
  const auto target =
      origin_form_target(req.target(), host == req.end() ? std::string_view() : std::string_view(host->value()));
  if (!target) co_return co_await refuse(proxy_errc::unsupported_target, &build_head(req.target()));
  const RequestHead& head = build_head(*target);
  tokens_.parse(req);

  Verdict verdict;
  bool decided = false;
  try {
    verdict = env_.gate.decide(head);
    decided = true;
  } catch (const std::exception&) {
    // A Gate bug: answer 500 for this request, keep serving the others.
  }
  if (!decided) co_return co_await refuse(proxy_errc::gate_failed, &head);
  if (verdict.respond) co_return co_await answer(*verdict.respond, head);
  if (!verdict.forward.upstream) co_return co_await refuse(proxy_errc::gate_failed, &head);
  co_return co_await forwarder_.run(client_, *parser_, head, tokens_, verdict.forward);
}

asio::awaitable<ForwardOutcome> Session::answer(const http::Response& r, const RequestHead& head) {
  bool keep = parser_->keep_alive() && !env_.stopping;
  if (!parser_->is_done()) {
    // The body was not forwarded. Read small ones to keep the connection; a client
    // waiting for 100 Continue sends nothing, so do not wait for it.
    const auto expect = parser_->get().find(bhttp::field::expect);
    const auto length = parser_->content_length();
    if (expect == parser_->get().end() && (!length || *length <= kDiscardLimit)) {
      auto lease = env_.buffers.take();
      std::uint64_t total = 0;
      while (!parser_->is_done() && total <= kDiscardLimit) {
        auto [ec, n] = co_await read_body_some(stream_, deadline_, buffer_, *parser_, lease.data(), lease.size(),
                                               env_.options.client_timeout);
        if (ec && !is_body_framing_error(ec)) co_return ForwardOutcome::close;
        if (ec) break;  // a malformed body: answer, then close (not in sync any more)
        total += n;
      }
    }
    if (!parser_->is_done()) keep = false;
  }
  const bool head_request = parser_->get().method() == bhttp::verb::head;
  const auto ec = co_await send_local_response(stream_, deadline_, out_, r, head_request, keep, head.version,
                                               env_.options.client_timeout);
  if (ec) co_return ForwardOutcome::close;
  if (keep) co_return ForwardOutcome::keep_alive;
  co_return parser_->is_done() ? ForwardOutcome::close : ForwardOutcome::close_unread;
}

asio::awaitable<ForwardOutcome> Session::refuse(proxy_errc e, const RequestHead* head) {
  // The connection cannot be trusted to be in sync after a refused head: close it.
  const auto r = make_error_response(env_.gate, e, head);
  const unsigned version = head ? head->version : 11;
  co_await send_local_response(stream_, deadline_, out_, r, false, false, version, env_.options.client_timeout);
  co_return ForwardOutcome::close_unread;
}

asio::awaitable<void> Session::close(bool linger) {
  boost::system::error_code ignored;
  auto& socket = stream_.socket();
  if (linger && socket.is_open()) {
    // Closing with unread input makes the kernel send RST, which can destroy the
    // answer before the client reads it (RFC 9112 §9.6): half-close, drain a little.
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    deadline_.arm_read(kLingerTime);
    auto lease = env_.buffers.take();
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(lease.data(), lease.size()), kAsTuple);
      if (ec) break;
      drained += n;
    }
  } else if (stream_.is_tls() && socket.is_open()) {
    deadline_.arm_read(kTlsShutdownTime);
    deadline_.arm_write(kTlsShutdownTime);
    co_await stream_.tls().async_shutdown(kAsTuple);  // close_notify (truncation detection)
  }
  deadline_.disarm();
  stream_.close();
}

}  // namespace gatehouse::edge
