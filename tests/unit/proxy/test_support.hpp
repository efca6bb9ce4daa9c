#pragma once
// Test fixtures for the edge transport: a Gate that forwards to a loopback origin
// (or answers some paths itself), a real origin server that records what it received,
// blocking raw-socket clients, and self-signed certificates.
//
// Nothing here sleeps to wait: waits are on futures or condition variables with
// generous bounds, and sockets have receive timeouts so a bug fails a test instead of
// hanging it.
#include "edge/gate.hpp"
#include "edge/proxy/edge_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gatehouse::edge::test {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

inline constexpr auto kWait = 20s;  // bound for anything a test waits for

// ---------------------------------------------------------------- origin

struct ReceivedRequest {
  std::string method;
  std::string target;
  unsigned version = 11;
  Headers headers;
  std::string body;  // the first kKeepBody bytes
  std::uint64_t body_bytes = 0;
  std::uint64_t body_hash = 0;  // StreamHash of the whole body
  bool chunked = false;
  int connection = 0;  // 1-based index of the origin connection it arrived on

  std::string header(std::string_view name) const;  // first value, "" if absent
  std::size_t count(std::string_view name) const;
};

struct OriginReply {
  enum class Kind {
    normal,
    hang,             // wait for TestOrigin::release(), then answer normally
    reset,            // close with RST without answering
    reset_mid_body,   // send the head and part of the body, then RST
    websocket_echo,   // accept the upgrade and echo messages
    raw,              // write `body` verbatim, then close
  };
  Kind kind = Kind::normal;
  unsigned status = 200;
  Headers headers;
  std::string body;
  bool chunked = false;
  std::uint64_t stream_bytes = 0;  // > 0: a generated body of this size (pattern_at)
  bool close = false;              // Connection: close, then close
};

using OriginHandler = std::function<OriginReply(const ReceivedRequest&)>;

// Answers 200 with body "hello from origin".
OriginReply default_reply(const ReceivedRequest&);

// An order-sensitive hash of a byte stream, fed in pieces of any size (FNV-style over
// 64-bit words: cheap enough for a GiB under ASan).
class StreamHash {
 public:
  void update(const char* p, std::size_t n);
  std::uint64_t value() const;
  std::uint64_t bytes() const { return bytes_; }

 private:
  void mix(std::uint64_t w) { h_ = (h_ ^ w) * 0x100000001b3ull; }
  std::uint64_t h_ = 1469598103934665603ull;
  std::uint64_t bytes_ = 0;
  unsigned char carry_[8] = {};
  std::size_t carry_n_ = 0;
};

// Test payloads: a 1 MiB pseudo-random block repeated. Returns the bytes at stream
// offset `offset`; `n` is clipped so the piece does not cross the block's end.
const char* pattern_at(std::uint64_t offset, std::size_t& n);

class TestOrigin {
 public:
  static constexpr std::size_t kKeepBody = 1 << 20;

  explicit TestOrigin(OriginHandler handler = default_reply, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~TestOrigin();
  TestOrigin(const TestOrigin&) = delete;
  TestOrigin& operator=(const TestOrigin&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // http(s)://127.0.0.1:PORT
  std::vector<ReceivedRequest> requests() const;
  int connections() const { return connections_.load(); }
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds bound = kWait) const;
  void release();  // let `hang` replies proceed
  void set_handler(OriginHandler h);
  // Answer as soon as the head arrives, without reading the body, then close
  // (an origin refusing an upload early, e.g. with 413).
  void answer_before_body(bool on) { answer_before_body_ = on; }

 private:
  void accept_loop();
  void serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket, int index);
  template <class Stream>
  void serve_stream(Stream& stream, boost::asio::ip::tcp::socket& socket, int index);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> answer_before_body_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  OriginHandler handler_;
  std::vector<ReceivedRequest> requests_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::vector<std::thread> threads_;
  std::promise<void> release_;
  std::shared_future<void> released_;
  std::thread acceptor_thread_;
};

// ---------------------------------------------------------------- gate

class TestGate : public Gate {
 public:
  explicit TestGate(std::string origin_url = {}, OriginTimeouts timeouts = {});

  // Paths answered by the gate itself: exact target → response.
  std::function<std::optional<http::Response>(const RequestHead&)> respond;
  std::vector<std::string> strip_request_headers;
  std::vector<http::Header> add_request_headers;
  std::vector<http::Header> add_response_headers;

  void set_origin(const std::string& url, OriginTimeouts timeouts = {});

  Verdict decide(const RequestHead& head) override;
  // 400/431/502/504...: body "<slug>", header X-Reason: <slug>.
  http::Response transport_error(int status, std::string_view reason_slug, std::string_view message,
                                 const RequestHead* head) override;

  int decide_calls() const { return decide_calls_.load(); }
  // A copy of the last head decide() saw (the views die with the request).
  struct SeenHead {
    std::string method, target, remote_ip;
    unsigned version = 0;
    bool tls = false;
    Headers headers;
  };
  SeenHead last_head() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Upstream> upstream_;
  SeenHead last_;
  std::atomic<int> decide_calls_{0};
};

// ---------------------------------------------------------------- clients

using Response = boost::beast::http::response<boost::beast::http::string_body>;

// A blocking client on a raw TCP socket (receive timeout kWait).
class RawClient {
 public:
  explicit RawClient(std::uint16_t port);
  void send(std::string_view bytes);
  // Reads one response (for a HEAD request: `head` = true). Throws on error.
  Response read_response(bool head = false);
  // Everything until the server closes (or the timeout).
  std::string read_until_close();
  // Reads one response, streaming its body through a fixed buffer into a hash.
  struct Streamed {
    unsigned status = 0;
    Headers headers;
    std::uint64_t body_bytes = 0;
    std::uint64_t body_hash = 0;
    bool complete = false;  // false: the connection ended or failed mid-body
  };
  Streamed read_streamed_response();
  // True if the server closed the connection (EOF or reset) within the bound.
  bool closed_by_peer();
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context io_;
  void note_end(const boost::system::error_code& ec);
  boost::asio::ip::tcp::socket socket_;
  std::string pending_;  // bytes read past the last response
  bool peer_closed_ = false;
};

// One request on a fresh connection: "GET / HTTP/1.1\r\nHost: app.test\r\n\r\n".
Response get(std::uint16_t port, std::string_view target = "/", std::string_view extra_headers = {});

std::string response_header(const Response& r, std::string_view name);
std::size_t response_header_count(const Response& r, std::string_view name);

// ---------------------------------------------------------------- TLS and process

struct TempDir {
  TempDir();
  ~TempDir();
  std::filesystem::path path;
};

// Writes a self-signed certificate (EC P-256, CA:TRUE so it can be its own trust
// anchor) and its key as PEM files.
void write_self_signed(const std::string& cert_file, const std::string& key_file, const std::string& common_name,
                       const std::string& subject_alt_names = "DNS:localhost,IP:127.0.0.1");
std::string certificate_common_name(SSL* ssl);  // of the peer

// Resident set size now / peak since reset_peak_rss(), in bytes (Linux /proc).
std::uint64_t current_rss();
std::uint64_t peak_rss();
void reset_peak_rss();

EdgeOptions test_options();  // 127.0.0.1:0, 2 threads

}  // namespace gatehouse::edge::test
