// WebSocket pass-through: the upgrade is forwarded, and after 101 the connection is a
// raw byte tunnel both ways, closed end to end.
#include "test_support.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <gtest/gtest.h>

namespace gatehouse::edge::test {
namespace {

namespace websocket = boost::beast::websocket;

class WebSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    origin.set_handler([](const ReceivedRequest&) {
      OriginReply r;
      r.kind = OriginReply::Kind::websocket_echo;
      return r;
    });
    server = std::make_unique<EdgeServer>(gate, test_options());
    server->start();
  }
  void TearDown() override { server->stop(); }

  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
};

TEST_F(WebSocket, EchoesThroughTheTunnel) {
  boost::asio::io_context io;
  websocket::stream<boost::asio::ip::tcp::socket> ws(io);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  websocket::response_type upgrade;
  ws.handshake(upgrade, "app.test", "/ws");
  EXPECT_EQ(upgrade.result_int(), 101);

  for (const std::string& message : std::vector<std::string>{"hello", std::string(200 * 1024, 'w'), "bye"}) {
    ws.text(true);
    ws.write(boost::asio::buffer(message));
    boost::beast::flat_buffer in;
    ws.read(in);
    EXPECT_EQ(boost::beast::buffers_to_string(in.data()), message);
  }
  ws.binary(true);
  const std::string binary("\x00\x01\x02\xff", 4);
  ws.write(boost::asio::buffer(binary));
  boost::beast::flat_buffer in;
  ws.read(in);
  EXPECT_EQ(boost::beast::buffers_to_string(in.data()), binary);

  ws.close(websocket::close_code::normal);  // the origin's close frame comes back through
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/ws");
  EXPECT_EQ(seen[0].header("Upgrade"), "websocket");
  EXPECT_TRUE(http::iequals(seen[0].header("Connection"), "upgrade"));
  EXPECT_FALSE(seen[0].header("Sec-WebSocket-Key").empty());
  EXPECT_EQ(seen[0].header("X-Forwarded-For"), "127.0.0.1");
}

TEST_F(WebSocket, TheClientSeesTheOriginClose) {
  boost::asio::io_context io;
  websocket::stream<boost::asio::ip::tcp::socket> ws(io);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  ws.handshake("app.test", "/ws");
  ws.write(boost::asio::buffer(std::string("close-please")));  // the origin closes
  boost::beast::flat_buffer in;
  boost::system::error_code ec;
  ws.read(in, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.reason().code, websocket::close_code::going_away);
}

const std::string kUpgrade =
    "GET /ws HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

TEST_F(WebSocket, AnIdleTunnelIsClosed) {
  OriginTimeouts t;
  t.idle = std::chrono::milliseconds(300);
  gate.set_origin(origin.url(), t);
  RawClient c(server->port());
  c.send(kUpgrade);
  EXPECT_EQ(c.read_response().result_int(), 101);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(250));
}

TEST_F(WebSocket, AnUpgradeTheOriginRefusesIsAnOrdinaryResponse) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.status = 403;
    r.body = "no sockets here";
    return r;
  });
  RawClient c(server->port());
  c.send(kUpgrade);
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 403);
  EXPECT_EQ(r.body(), "no sockets here");
}

}  // namespace
}  // namespace gatehouse::edge::test
