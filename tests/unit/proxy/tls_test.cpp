// The TLS listener (certificate from PEM files, reloadable for new connections) and
// https origins (verified against trusted roots).
#include "test_support.hpp"

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <fstream>

namespace gatehouse::edge::test {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace bhttp = boost::beast::http;

// A TLS client that trusts exactly `ca_file` and checks the name "localhost".
class TlsClient {
 public:
  TlsClient(std::uint16_t port, const std::string& ca_file) : ctx_(ssl::context::tls_client), stream_(io_, ctx_) {
    ctx_.load_verify_file(ca_file);
    stream_.set_verify_mode(ssl::verify_peer);  // SSL_new copied the context's mode already
    SSL_set1_host(stream_.native_handle(), "localhost");
    stream_.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    stream_.handshake(ssl::stream_base::client);
  }
  Response get(const std::string& target = "/") {
    bhttp::request<bhttp::empty_body> req(bhttp::verb::get, target, 11);
    req.set(bhttp::field::host, "app.test");
    bhttp::write(stream_, req);
    Response res;
    bhttp::read(stream_, buffer_, res);
    return res;
  }
  std::string peer_name() { return certificate_common_name(stream_.native_handle()); }

 private:
  asio::io_context io_;
  ssl::context ctx_;
  ssl::stream<asio::ip::tcp::socket> stream_;
  boost::beast::flat_buffer buffer_;
};

class TlsListener : public ::testing::Test {
 protected:
  void SetUp() override {
    cert = (dir.path / "edge.crt").string();
    key = (dir.path / "edge.key").string();
    write_self_signed(cert, key, "edge-one");
    auto o = test_options();
    o.tls_cert_file = cert;
    o.tls_key_file = key;
    server = std::make_unique<EdgeServer>(gate, o);
    server->start();
  }
  void TearDown() override { server->stop(); }

  TempDir dir;
  std::string cert, key;
  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
};

TEST_F(TlsListener, ServesHttpsAndTellsTheOrigin) {
  TlsClient c(server->port(), cert);
  EXPECT_EQ(c.peer_name(), "edge-one");
  EXPECT_EQ(c.get().body(), "hello from origin");
  EXPECT_TRUE(gate.last_head().tls);
  ASSERT_EQ(origin.requests().size(), 1u);
  EXPECT_EQ(origin.requests()[0].header("X-Forwarded-Proto"), "https");
}

TEST_F(TlsListener, ReloadServesTheNewCertificateToNewConnectionsOnly) {
  TlsClient before(server->port(), cert);
  EXPECT_EQ(before.get().result_int(), 200);

  const auto old_cert = (dir.path / "old.crt").string();
  std::filesystem::copy_file(cert, old_cert);
  write_self_signed(cert, key, "edge-two");
  EXPECT_EQ(server->reload_tls(), std::nullopt);

  TlsClient after(server->port(), cert);
  EXPECT_EQ(after.peer_name(), "edge-two");
  EXPECT_EQ(after.get().result_int(), 200);
  // The established connection keeps its session and still works.
  EXPECT_EQ(before.peer_name(), "edge-one");
  EXPECT_EQ(before.get().result_int(), 200);
  // A client trusting only the old certificate is refused now.
  EXPECT_THROW(TlsClient(server->port(), old_cert), boost::system::system_error);
}

TEST_F(TlsListener, AFailedReloadKeepsTheCurrentCertificate) {
  { std::ofstream(key) << "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"; }
  const auto error = server->reload_tls();
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find(key), std::string::npos) << *error;

  TlsClient c(server->port(), cert);
  EXPECT_EQ(c.peer_name(), "edge-one");
  EXPECT_EQ(c.get().result_int(), 200);
}

TEST_F(TlsListener, AMismatchedKeyIsRefusedOnReload) {
  const auto other_cert = (dir.path / "other.crt").string();
  const auto other_key = (dir.path / "other.key").string();
  write_self_signed(other_cert, other_key, "other");
  std::filesystem::copy_file(other_key, key, std::filesystem::copy_options::overwrite_existing);
  const auto error = server->reload_tls();
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("mismatch"), std::string::npos) << *error;
  EXPECT_EQ(TlsClient(server->port(), cert).peer_name(), "edge-one");
}

TEST_F(TlsListener, PlainHttpOnTheTlsPortGetsNoAnswer) {
  RawClient c(server->port());
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(gate.decide_calls(), 0);
}

TEST(TlsStart, MissingFilesFailStartWithTheirName) {
  TestGate gate;
  auto o = test_options();
  o.tls_cert_file = "/nonexistent/edge.crt";
  o.tls_key_file = "/nonexistent/edge.key";
  EdgeServer server(gate, o);
  try {
    server.start();
    FAIL() << "start() should throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/edge.crt"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(server.running());
}

std::shared_ptr<ssl::context> origin_tls(const std::string& cert, const std::string& key) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->use_certificate_chain_file(cert);
  ctx->use_private_key_file(key, ssl::context::pem);
  return ctx;
}

TEST(HttpsOrigin, IsVerifiedAgainstTheTrustedRoots) {
  TempDir dir;
  const auto cert = (dir.path / "origin.crt").string();
  const auto key = (dir.path / "origin.key").string();
  write_self_signed(cert, key, "origin");
  TestOrigin origin(default_reply, origin_tls(cert, key));
  TestGate gate(origin.url());
  ASSERT_EQ(origin.url().rfind("https://", 0), 0u);

  auto o = test_options();
  o.origin_ca_file = cert;
  EdgeServer trusting(gate, o);
  trusting.start();
  const auto r = get(trusting.port());
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "hello from origin");
  EXPECT_EQ(get(trusting.port()).result_int(), 200);
  trusting.stop();

  EdgeServer distrusting(gate, test_options());  // system roots only
  distrusting.start();
  const auto refused = get(distrusting.port());
  EXPECT_EQ(refused.result_int(), 502);
  EXPECT_EQ(response_header(refused, "X-Reason"), "origin_tls");
  distrusting.stop();
}

TEST(HttpsOrigin, IsReachedByNameWithSni) {
  TempDir dir;
  const auto cert = (dir.path / "origin.crt").string();
  const auto key = (dir.path / "origin.key").string();
  write_self_signed(cert, key, "origin");
  TestOrigin origin(default_reply, origin_tls(cert, key));
  TestGate gate("https://localhost:" + std::to_string(origin.port()));  // DNS, then each address in turn
  auto o = test_options();
  o.origin_ca_file = cert;
  EdgeServer server(gate, o);
  server.start();
  EXPECT_EQ(get(server.port()).result_int(), 200);
  server.stop();
}

TEST(HttpsOrigin, ACertificateForAnotherNameIsRefused) {
  TempDir dir;
  const auto cert = (dir.path / "origin.crt").string();
  const auto key = (dir.path / "origin.key").string();
  write_self_signed(cert, key, "origin", "DNS:other.test");
  TestOrigin origin(default_reply, origin_tls(cert, key));
  TestGate gate(origin.url());  // https://127.0.0.1:PORT
  auto o = test_options();
  o.origin_ca_file = cert;
  EdgeServer server(gate, o);
  server.start();
  const auto r = get(server.port());
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_tls");
  server.stop();
}

}  // namespace
}  // namespace gatehouse::edge::test
