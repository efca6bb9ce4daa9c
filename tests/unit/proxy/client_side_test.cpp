// Client-side limits and misbehaviour: idle keep-alive and head deadlines, a client
// that disappears mid-upload, an origin that answers before reading the upload.
#include "test_support.hpp"

#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

namespace gatehouse::edge::test {
namespace {

class ClientSide : public ::testing::Test {
 protected:
  void start(EdgeOptions o) {
    server = std::make_unique<EdgeServer>(gate, o);
    server->start();
    port = server->port();
  }
  void TearDown() override {
    if (server) server->stop();
  }

  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
  std::uint16_t port = 0;
};

TEST_F(ClientSide, AnIdleKeepAliveConnectionIsClosedAfterTheTimeout) {
  auto o = test_options();
  o.keep_alive_timeout = std::chrono::milliseconds(200);
  start(o);
  RawClient c(port);
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 200);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(150));
}

TEST_F(ClientSide, AHeadThatTakesTooLongIsDropped) {
  auto o = test_options();
  o.head_timeout = std::chrono::milliseconds(200);
  start(o);
  RawClient c(port);
  c.send("GET / HTTP/1.1\r\nHost: app.te");  // and nothing more (slow loris)
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(gate.decide_calls(), 0);
}

TEST_F(ClientSide, AConnectionThatNeverSpeaksIsDropped) {
  auto o = test_options();
  o.head_timeout = std::chrono::milliseconds(200);
  start(o);
  RawClient c(port);
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ClientSide, AClientVanishingMidUploadLeavesTheEdgeServing) {
  start(test_options());
  {
    RawClient c(port);
    c.send("POST /up HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000000\r\n\r\n" + std::string(4096, 'x'));
  }  // closed with 995 904 bytes missing
  EXPECT_EQ(get(port, "/after").result_int(), 200);
  const auto seen = origin.requests();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().target, "/after");  // the truncated upload never completed at the origin
}

TEST_F(ClientSide, AnEarlyAnswerFromTheOriginIsRelayedAndTheUploadStopped) {
  origin.answer_before_body(true);
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.status = 413;
    r.body = "too big for me";
    return r;
  });
  start(test_options());
  RawClient c(port);
  c.send("PUT /big HTTP/1.1\r\nHost: app.test\r\nContent-Length: 104857600\r\n\r\n");
  // Upload from another thread: nobody reads it once the answer is out.
  auto writer = std::async(std::launch::async, [&c] {
    std::string piece(64 * 1024, 'u');
    boost::system::error_code ec;
    for (int i = 0; i < 1600 && !ec; ++i) boost::asio::write(c.socket(), boost::asio::buffer(piece), ec);
  });
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(r.body(), "too big for me");
  EXPECT_EQ(response_header(r, "Connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
  boost::system::error_code ignored;
  c.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);  // unblock the writer
  EXPECT_EQ(writer.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(get(port).result_int(), 413);  // and the edge is fine
}

}  // namespace
}  // namespace gatehouse::edge::test
