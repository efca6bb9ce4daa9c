#include "test_support.hpp"

#include "http/message.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace gatehouse::edge::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// ---------------------------------------------------------------- helpers

std::string ReceivedRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (http::iequals(n, name)) return v;
  return {};
}

std::size_t ReceivedRequest::count(std::string_view name) const {
  std::size_t c = 0;
  for (const auto& [n, v] : headers)
    if (http::iequals(n, name)) ++c;
  return c;
}

OriginReply default_reply(const ReceivedRequest&) {
  OriginReply r;
  r.headers = {{"Content-Type", "text/plain"}};
  r.body = "hello from origin";
  return r;
}

void StreamHash::update(const char* p, std::size_t n) {
  bytes_ += n;
  while (n && carry_n_) {
    carry_[carry_n_++] = static_cast<unsigned char>(*p++);
    --n;
    if (carry_n_ == 8) {
      std::uint64_t w;
      std::memcpy(&w, carry_, 8);
      mix(w);
      carry_n_ = 0;
    }
  }
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    mix(w);
  }
  while (n) {
    carry_[carry_n_++] = static_cast<unsigned char>(*p++);
    --n;
  }
}

std::uint64_t StreamHash::value() const {
  StreamHash copy = *this;
  if (copy.carry_n_) {
    std::uint64_t w = 0;
    std::memcpy(&w, copy.carry_, copy.carry_n_);
    copy.mix(w);
  }
  copy.mix(bytes_);
  return copy.h_;
}

const char* pattern_at(std::uint64_t offset, std::size_t& n) {
  static const std::string block = [] {
    std::string b(1 << 20, '\0');
    std::mt19937_64 rng(42);
    for (std::size_t i = 0; i < b.size(); i += 8) {
      const auto v = rng();
      std::memcpy(b.data() + i, &v, 8);
    }
    return b;
  }();
  const auto at = static_cast<std::size_t>(offset % block.size());
  n = std::min(n, block.size() - at);
  return block.data() + at;
}

// ---------------------------------------------------------------- origin

TestOrigin::TestOrigin(OriginHandler handler, std::shared_ptr<asio::ssl::context> tls)
    : acceptor_(io_), tls_(std::move(tls)), handler_(std::move(handler)), released_(release_.get_future().share()) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  acceptor_thread_ = std::thread([this] { accept_loop(); });
}

TestOrigin::~TestOrigin() {
  stopping_ = true;
  release();
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);  // wakes the blocking accept()
  acceptor_thread_.join();
  {
    std::lock_guard lock(mutex_);
    for (auto& s : sockets_) {
      boost::system::error_code ignored;
      s->shutdown(tcp::socket::shutdown_both, ignored);
    }
  }
  for (auto& t : threads_) t.join();
}

std::string TestOrigin::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<ReceivedRequest> TestOrigin::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool TestOrigin::wait_for_requests(std::size_t n, std::chrono::milliseconds bound) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, bound, [&] { return requests_.size() >= n; });
}

void TestOrigin::release() {
  std::lock_guard lock(mutex_);
  if (released_.wait_for(0s) != std::future_status::ready) release_.set_value();
}

void TestOrigin::set_handler(OriginHandler h) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(h);
}

void TestOrigin::accept_loop() {
  for (int index = 1;; ++index) {
    auto socket = std::make_shared<tcp::socket>(io_);
    boost::system::error_code ec;
    acceptor_.accept(*socket, ec);
    if (ec || stopping_) return;
    connections_++;
    std::lock_guard lock(mutex_);
    sockets_.push_back(socket);
    threads_.emplace_back([this, socket, index] { serve(socket, index); });
  }
}

void TestOrigin::serve(std::shared_ptr<tcp::socket> socket, int index) {
  if (!tls_) {
    serve_stream(*socket, *socket, index);
  } else {
    asio::ssl::stream<tcp::socket&> stream(*socket, *tls_);
    boost::system::error_code ec;
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (!ec) serve_stream(stream, *socket, index);
  }
  // Done with this connection: let the proxy see the end (the descriptor stays open
  // until the destructor, so that it cannot be reused under the destructor's feet).
  boost::system::error_code ignored;
  socket->shutdown(tcp::socket::shutdown_both, ignored);
}

namespace {

std::string reply_head(const OriginReply& r, std::uint64_t length, bool chunked) {
  std::ostringstream out;
  out << "HTTP/1.1 " << r.status << " " << bhttp::obsolete_reason(static_cast<bhttp::status>(r.status)) << "\r\n";
  for (const auto& [n, v] : r.headers) out << n << ": " << v << "\r\n";
  if (chunked)
    out << "Transfer-Encoding: chunked\r\n";
  else if (r.status / 100 != 1 && r.status != 204 && r.status != 304)
    out << "Content-Length: " << length << "\r\n";
  if (r.close) out << "Connection: close\r\n";
  out << "\r\n";
  return out.str();
}

void reset(tcp::socket& socket) {
  // An abortive close (RST) that keeps the descriptor ours, since the destructor may
  // still shut it down: on Linux, connect(AF_UNSPEC) disconnects TCP with a reset.
  sockaddr sa{};
  sa.sa_family = AF_UNSPEC;
  ::connect(socket.native_handle(), &sa, sizeof sa);
}

}  // namespace

template <class Stream>
void TestOrigin::serve_stream(Stream& stream, tcp::socket& socket, int index) {
  beast::flat_buffer buffer;
  std::vector<char> chunk(64 * 1024);
  for (;;) {
    bhttp::request_parser<bhttp::buffer_body> parser;
    parser.header_limit(1 << 20);
    parser.body_limit(boost::none);
    boost::system::error_code ec;
    bhttp::read_header(stream, buffer, parser, ec);
    if (ec) return;
    ReceivedRequest r;
    const auto& req = parser.get();
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.version = req.version();
    for (const auto& f : req) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.chunked = parser.chunked();
    r.connection = index;
    const bool head_request = req.method() == bhttp::verb::head;
    StreamHash hash;
    if (http::iequals(r.header("Expect"), "100-continue")) {
      asio::write(stream, asio::buffer(std::string_view("HTTP/1.1 100 Continue\r\n\r\n")), ec);
      if (ec) return;
    }
    const bool early = answer_before_body_;
    while (!early && !parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      bhttp::read(stream, buffer, parser, ec);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) return;
      const auto n = chunk.size() - parser.get().body().size;
      hash.update(chunk.data(), n);
      if (r.body.size() < kKeepBody) r.body.append(chunk.data(), std::min(n, kKeepBody - r.body.size()));
      r.body_bytes += n;
    }
    r.body_hash = hash.value();
    OriginHandler handler;
    {
      std::lock_guard lock(mutex_);
      handler = handler_;
    }
    OriginReply reply = handler(r);
    if (early) reply.close = true;
    const bool websocket_upgrade = http::iequals(r.header("Upgrade"), "websocket");
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(r);
      changed_.notify_all();
    }
    using Kind = OriginReply::Kind;
    if (reply.kind == Kind::hang) {
      released_.wait_for(kWait);
      if (stopping_) return;
    }
    if (reply.kind == Kind::reset) {
      reset(socket);
      return;
    }
    if (reply.kind == Kind::raw) {
      asio::write(stream, asio::buffer(reply.body), ec);
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    if (reply.kind == Kind::websocket_echo && websocket_upgrade) {
      bhttp::request<bhttp::empty_body> upgrade;
      upgrade.method(req.method());
      upgrade.target(req.target());
      upgrade.version(req.version());
      for (const auto& [n, v] : r.headers) upgrade.insert(n, v);
      beast::websocket::stream<Stream&> ws(stream);
      ws.accept(upgrade, ec);
      if (ec) return;
      // Bytes the proxy passed along after the head belong to the WebSocket now.
      for (;;) {
        beast::flat_buffer message;
        ws.read(message, ec);
        if (ec) return;
        if (beast::buffers_to_string(message.data()) == "close-please") {
          ws.close(beast::websocket::close_code::going_away, ec);
          return;
        }
        ws.text(ws.got_text());
        ws.write(message.data(), ec);
        if (ec) return;
      }
    }
    const std::uint64_t length = reply.stream_bytes ? reply.stream_bytes : reply.body.size();
    const std::string head = reply_head(reply, length, reply.chunked);
    asio::write(stream, asio::buffer(head), ec);
    if (ec) return;
    const bool no_body = head_request || reply.status / 100 == 1 || reply.status == 204 || reply.status == 304;
    if (reply.kind == Kind::reset_mid_body) {
      std::string part(static_cast<std::size_t>(length / 2), 'x');
      asio::write(stream, asio::buffer(part), ec);
      reset(socket);
      return;
    }
    if (!no_body) {
      if (reply.stream_bytes) {
        for (std::uint64_t sent = 0; sent < reply.stream_bytes && !ec;) {
          std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), reply.stream_bytes - sent));
          const char* data = pattern_at(sent, n);
          if (reply.chunked) {
            char size_line[32];
            const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
            asio::write(stream, asio::buffer(size_line, static_cast<std::size_t>(len)), ec);
          }
          if (!ec) asio::write(stream, asio::buffer(data, n), ec);
          if (!ec && reply.chunked) asio::write(stream, asio::buffer(std::string_view("\r\n")), ec);
          sent += n;
        }
        if (!ec && reply.chunked) asio::write(stream, asio::buffer(std::string_view("0\r\n\r\n")), ec);
      } else if (reply.chunked) {
        std::ostringstream out;
        if (!reply.body.empty()) out << std::hex << reply.body.size() << "\r\n" << reply.body << "\r\n";
        out << "0\r\n\r\n";
        asio::write(stream, asio::buffer(out.str()), ec);
      } else {
        asio::write(stream, asio::buffer(reply.body), ec);
      }
      if (ec) return;
    }
    if (reply.close || r.version < 11) {
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
  }
}

// ---------------------------------------------------------------- gate

TestGate::TestGate(std::string origin_url, OriginTimeouts timeouts) {
  if (!origin_url.empty()) set_origin(origin_url, timeouts);
}

void TestGate::set_origin(const std::string& url, OriginTimeouts timeouts) {
  std::string error;
  auto up = parse_upstream(url, timeouts, &error);
  if (!up) throw std::runtime_error(error);
  std::lock_guard lock(mutex_);
  upstream_ = std::make_shared<const Upstream>(*up);
}

Verdict TestGate::decide(const RequestHead& head) {
  decide_calls_++;
  SeenHead seen{std::string(head.method), std::string(head.target), std::string(head.remote_ip), head.version,
                head.tls, {}};
  for (const auto& h : head.headers) seen.headers.emplace_back(std::string(h.name), std::string(h.value));
  std::shared_ptr<const Upstream> up;
  {
    std::lock_guard lock(mutex_);
    last_ = std::move(seen);
    up = upstream_;
  }
  Verdict v;
  if (respond) v.respond = respond(head);
  if (!v.respond) {
    v.forward.upstream = up;
    v.forward.strip_request_headers = strip_request_headers;
    v.forward.add_request_headers = add_request_headers;
    v.forward.add_response_headers = add_response_headers;
  }
  return v;
}

http::Response TestGate::transport_error(int status, std::string_view slug, std::string_view message,
                                         const RequestHead*) {
  http::Response r;
  r.status = status;
  r.set("Content-Type", "text/plain");
  r.set("X-Reason", std::string(slug));
  r.body = std::string(slug) + ": " + std::string(message);
  return r;
}

TestGate::SeenHead TestGate::last_head() const {
  std::lock_guard lock(mutex_);
  return last_;
}

// ---------------------------------------------------------------- clients

namespace {

// Runs `io` until `done` or the bound; on timeout cancels `socket` and throws.
void run_bounded(asio::io_context& io, tcp::socket& socket, const bool& done) {
  io.restart();
  io.run_for(kWait);
  if (!done) {
    boost::system::error_code ignored;
    socket.cancel(ignored);
    io.restart();
    io.run();
    throw std::runtime_error("timed out waiting for the server");
  }
}

}  // namespace

RawClient::RawClient(std::uint16_t port) : socket_(io_) {
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

void RawClient::send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }

Response RawClient::read_response(bool head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  parser.header_limit(1 << 20);
  if (head) parser.skip(true);
  beast::flat_buffer buffer;
  if (!pending_.empty()) {
    auto mb = buffer.prepare(pending_.size());
    std::memcpy(mb.data(), pending_.data(), pending_.size());
    buffer.commit(pending_.size());
    pending_.clear();
  }
  bool done = false;
  boost::system::error_code result;
  bhttp::async_read(socket_, buffer, parser, [&](boost::system::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  run_bounded(io_, socket_, done);
  note_end(result);
  if (result) throw boost::system::system_error(result, "reading a response");
  pending_.assign(static_cast<const char*>(buffer.data().data()), buffer.size());
  return parser.release();
}

void RawClient::note_end(const boost::system::error_code& ec) {
  // Asio does not report an EOF twice (a read after it waits for an edge that never
  // comes), so remember it.
  if (ec == asio::error::eof || ec == bhttp::error::partial_message || ec == bhttp::error::end_of_stream ||
      ec == asio::error::connection_reset)
    peer_closed_ = true;
}

std::string RawClient::read_until_close() {
  std::string out = std::move(pending_);
  pending_.clear();
  if (peer_closed_) return out;
  std::vector<char> buf(64 * 1024);
  for (;;) {
    bool done = false;
    boost::system::error_code result;
    std::size_t got = 0;
    socket_.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t n) {
      result = ec;
      got = n;
      done = true;
    });
    run_bounded(io_, socket_, done);
    out.append(buf.data(), got);
    if (result) {
      peer_closed_ = true;
      return out;
    }
  }
}

RawClient::Streamed RawClient::read_streamed_response() {
  // Plain socket reads fed to the parser: Beast's composed read allocates its
  // dispatch per call, and that churn would be counted against the proxy's memory.
  Streamed out;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(boost::none);
  parser.eager(true);
  std::string input = std::move(pending_);
  pending_.clear();
  std::size_t parsed = 0;
  std::vector<char> chunk(64 * 1024);
  std::vector<char> raw(64 * 1024);
  StreamHash hash;
  for (;;) {
    while (parsed < input.size() && !parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      boost::system::error_code ec;
      parsed += parser.put(asio::buffer(input.data() + parsed, input.size() - parsed), ec);
      hash.update(chunk.data(), chunk.size() - parser.get().body().size);
      if (ec == bhttp::error::need_more) break;
      if (ec && ec != bhttp::error::need_buffer) return out;
    }
    input.erase(0, parsed);
    parsed = 0;
    if (parser.is_header_done() && out.status == 0) {
      out.status = parser.get().result_int();
      for (const auto& f : parser.get()) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    if (parser.is_done()) break;
    bool done = false;
    boost::system::error_code result;
    std::size_t got = 0;
    socket_.async_read_some(asio::buffer(raw), [&](boost::system::error_code ec, std::size_t n) {
      result = ec;
      got = n;
      done = true;
    });
    run_bounded(io_, socket_, done);
    if (result) {
      note_end(result);
      break;
    }
    input.append(raw.data(), got);
  }
  pending_ = std::move(input);
  out.complete = parser.is_done();
  out.body_bytes = hash.bytes();
  out.body_hash = hash.value();
  return out;
}

bool RawClient::closed_by_peer() {
  try {
    read_until_close();
    return true;
  } catch (const std::runtime_error&) {
    return false;  // timed out: still open
  }
}

Response get(std::uint16_t port, std::string_view target, std::string_view extra_headers) {
  RawClient c(port);
  std::string req = "GET " + std::string(target) + " HTTP/1.1\r\nHost: app.test\r\n" + std::string(extra_headers) + "\r\n";
  c.send(req);
  return c.read_response();
}

std::string response_header(const Response& r, std::string_view name) {
  const auto it = r.find(name);
  return it == r.end() ? std::string() : std::string(it->value());
}

std::size_t response_header_count(const Response& r, std::string_view name) { return r.count(name); }

// ---------------------------------------------------------------- TLS and process

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "gh-proxy-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

void write_self_signed(const std::string& cert_file, const std::string& key_file, const std::string& common_name,
                       const std::string& subject_alt_names) {
  // EVP_EC_gen is a macro with a C cast; this is its expansion.
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", const_cast<char*>("P-256"));
  X509* x = X509_new();
  X509_set_version(x, 2);
  std::random_device rd;
  ASN1_INTEGER_set(X509_get_serialNumber(x), static_cast<long>(rd() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, subject_alt_names.c_str()},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  FILE* f = std::fopen(cert_file.c_str(), "w");
  PEM_write_X509(f, x);
  std::fclose(f);
  f = std::fopen(key_file.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(x);
  EVP_PKEY_free(key);
}

std::string certificate_common_name(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return {};
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
  X509_free(cert);
  return buf;
}

namespace {
std::uint64_t status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, len, field) == 0) return std::strtoull(line.c_str() + len, nullptr, 10);
  return 0;
}
}  // namespace

std::uint64_t current_rss() { return status_kib("VmRSS:") * 1024; }
std::uint64_t peak_rss() { return status_kib("VmHWM:") * 1024; }
void reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

EdgeOptions test_options() {
  EdgeOptions o;
  o.listen = "127.0.0.1:0";
  o.threads = 2;
  return o;
}

}  // namespace gatehouse::edge::test
