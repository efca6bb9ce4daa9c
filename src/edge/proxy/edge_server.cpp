// Life of a connection: a Worker's acceptor hands the socket to a Session on the same
// thread; the Session reads a head, asks the Gate, and answers or runs the Forwarder,
// which takes a pooled origin connection of that thread (or opens one), streams the
// request and the response, and pools the connection again. Nothing is shared
// between edge threads except the Gate (thread-safe by contract), the TLS contexts
// (read-only; the server one is swapped atomically) and the options (immutable).
#include "edge/proxy/edge_server.hpp"

#include "edge/proxy/tls.hpp"
#include "edge/proxy/worker.hpp"
#include "http/server.hpp"

#include <boost/asio/ip/address.hpp>

#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace gatehouse::edge {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct EdgeServer::Impl {
  Impl(Gate& g, EdgeOptions o) : gate(g), options(std::move(o)) {}

  Gate& gate;
  const EdgeOptions options;
  mutable std::mutex mutex;  // start/stop/reload/local_address
  std::unique_ptr<ServerTls> server_tls;
  TlsContextPtr client_tls;
  std::vector<std::unique_ptr<Worker>> workers;
  std::string address;
  std::uint16_t port = 0;

  bool tls_configured() const { return !options.tls_cert_file.empty() || !options.tls_key_file.empty(); }
};

EdgeServer::EdgeServer(Gate& gate, EdgeOptions options) : impl_(std::make_unique<Impl>(gate, std::move(options))) {}

EdgeServer::~EdgeServer() { stop(); }

void EdgeServer::start() {
  std::lock_guard lock(impl_->mutex);
  auto& m = *impl_;
  if (!m.workers.empty()) throw std::runtime_error("the edge listener is already running");
  const auto& o = m.options;

  if (m.tls_configured()) {
    std::string error;
    auto ctx = make_server_tls(o.tls_cert_file, o.tls_key_file, &error);
    if (!ctx) throw std::runtime_error(error);
    m.server_tls = std::make_unique<ServerTls>(std::move(ctx));
  }
  {
    std::string error;
    m.client_tls = make_client_tls(o.origin_ca_file, &error);
    if (!m.client_tls) throw std::runtime_error(error);
  }

  const auto [host, requested_port] = http::split_host_port(o.listen);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("listen address \"" + o.listen + "\": \"" + host + "\" is not an IP address");
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());

  std::vector<std::unique_ptr<Worker>> workers;
  tcp::endpoint endpoint(address, requested_port);
  for (unsigned i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>(m.gate, m.options, m.server_tls.get(), m.client_tls.get());
    if (const auto bec = w->bind(endpoint))
      throw std::runtime_error("cannot listen on " + o.listen + ": " + bec.message());
    // Port 0: the first acceptor picks the port; the others join it (SO_REUSEPORT).
    if (i == 0) endpoint = w->local_endpoint();
    workers.push_back(std::move(w));
  }
  for (auto& w : workers) w->start();
  m.workers = std::move(workers);
  const auto a = endpoint.address();
  m.port = endpoint.port();
  m.address = (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(m.port);
}

void EdgeServer::stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->mutex);
  auto& m = *impl_;
  if (m.workers.empty()) return;
  for (auto& w : m.workers) w->begin_stop();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  bool all_done = true;
  for (auto& w : m.workers) all_done = w->wait_until(deadline) && all_done;
  if (!all_done) {
    for (auto& w : m.workers) w->force_stop();
    // Every socket is closed now, so sessions end at once; a DNS lookup in progress
    // is the one thing that may not, and is abandoned after this.
    const auto last = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (auto& w : m.workers)
      if (!w->wait_until(last)) w->abandon();
  }
  for (auto& w : m.workers) w->join();
  m.workers.clear();
  m.address.clear();
  m.port = 0;
}

std::optional<std::string> EdgeServer::reload_tls() {
  std::lock_guard lock(impl_->mutex);
  auto& m = *impl_;
  if (!m.tls_configured()) return std::string("the edge listener is not configured for TLS");
  std::string error;
  auto ctx = make_server_tls(m.options.tls_cert_file, m.options.tls_key_file, &error);
  if (!ctx) return error;
  if (m.server_tls)
    m.server_tls->replace(std::move(ctx));
  // Not running: the next start() loads the files anyway.
  return std::nullopt;
}

std::string EdgeServer::local_address() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->address;
}

std::uint16_t EdgeServer::port() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->port;
}

bool EdgeServer::running() const {
  std::lock_guard lock(impl_->mutex);
  return !impl_->workers.empty();
}

}  // namespace gatehouse::edge
