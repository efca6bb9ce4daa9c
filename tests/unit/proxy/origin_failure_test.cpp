// When the origin fails, the client gets the Gate's 502/504 page (or, once the response
// has started, a closed connection), and the edge keeps serving.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gatehouse::edge::test {
namespace {

std::uint16_t closed_port() {
  // Bind, read the port, close: nothing listens there afterwards.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class OriginFailure : public ::testing::Test {
 protected:
  void start() {
    server = std::make_unique<EdgeServer>(gate, test_options());
    server->start();
  }
  void TearDown() override {
    origin.release();
    if (server) server->stop();
  }

  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
};

TEST_F(OriginFailure, ARefusedConnectionIs502Unreachable) {
  gate.set_origin("http://127.0.0.1:" + std::to_string(closed_port()));
  start();
  RawClient c(server->port());
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_unreachable");
  // Nothing was lost on the client side: the connection keeps working.
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 502);
}

TEST_F(OriginFailure, AnUnresolvableNameIs502Unreachable) {
  gate.set_origin("http://origin.invalid:8080");  // RFC 6761: never resolves
  start();
  const auto r = get(server->port());
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_unreachable");
}

TEST_F(OriginFailure, ASlowOriginIs504AfterTheResponseHeaderTimeout) {
  OriginTimeouts t;
  t.response_header = std::chrono::milliseconds(200);
  gate.set_origin(origin.url(), t);
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.kind = OriginReply::Kind::hang;
    return r;
  });
  start();
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = get(server->port(), "/slow");
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.result_int(), 504);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_timeout");
  EXPECT_GE(elapsed, std::chrono::milliseconds(200));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(OriginFailure, TheResponseHeaderTimeoutStartsAfterTheRequestBody) {
  OriginTimeouts t;
  t.response_header = std::chrono::milliseconds(300);
  gate.set_origin(origin.url(), t);
  start();
  // The body is sent in two parts with a pause longer than the response timeout in
  // between. The pause is what this test is about (time spent uploading must not count
  // towards the origin's response time), not a wait for something to happen.
  RawClient c(server->port());
  c.send("POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 10\r\n\r\n12345");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  c.send("67890");
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 200);
  ASSERT_EQ(origin.requests().size(), 1u);
  EXPECT_EQ(origin.requests()[0].body, "1234567890");
}

TEST_F(OriginFailure, AResetBeforeTheResponseIs502) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.kind = OriginReply::Kind::reset;
    return r;
  });
  start();
  const auto r = get(server->port());
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_reset");
}

TEST_F(OriginFailure, AResetMidBodyClosesTheClientConnection) {
  origin.set_handler([](const ReceivedRequest& req) {
    OriginReply r;
    if (req.target == "/partial") {
      r.kind = OriginReply::Kind::reset_mid_body;
      r.stream_bytes = 4 * 1024 * 1024;
    }
    return r;
  });
  start();
  RawClient c(server->port());
  c.send("GET /partial HTTP/1.1\r\nHost: app.test\r\n\r\n");
  const auto r = c.read_streamed_response();
  EXPECT_EQ(r.status, 200u);
  EXPECT_FALSE(r.complete);
  EXPECT_LT(r.body_bytes, 4u * 1024 * 1024);
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(get(server->port(), "/fine").result_int(), 200);  // the edge is still up
}

TEST_F(OriginFailure, AGarbageResponseIs502BadResponse) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.kind = OriginReply::Kind::raw;
    r.body = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
    return r;
  });
  start();
  const auto r = get(server->port());
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_bad_response");
}

TEST_F(OriginFailure, AnUnsolicited101Is502) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.kind = OriginReply::Kind::raw;
    r.body = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n";
    return r;
  });
  start();
  const auto r = get(server->port());
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_bad_response");
}

// The origin answers the first request on a connection, then drops the connection
// when the second arrives on it (as a keep-alive timeout racing a reuse would).
OriginHandler drops_second_request_on_connection_one() {
  auto served = std::make_shared<std::atomic<int>>(0);
  return [served](const ReceivedRequest& req) {
    OriginReply r;
    r.body = "ok";
    if (req.connection == 1 && ++*served == 2) r.kind = OriginReply::Kind::reset;
    return r;
  };
}

TEST_F(OriginFailure, AnIdempotentRequestOnADeadPooledConnectionIsRetriedOnce) {
  origin.set_handler(drops_second_request_on_connection_one());
  auto o = test_options();
  o.threads = 1;
  server = std::make_unique<EdgeServer>(gate, o);
  server->start();
  EXPECT_EQ(get(server->port()).result_int(), 200);
  const auto r = get(server->port(), "/again");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "ok");
  EXPECT_EQ(origin.connections(), 2);
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 3u);  // the dropped attempt and the retry
  EXPECT_EQ(seen[2].connection, 2);
}

TEST_F(OriginFailure, ANonIdempotentRequestIsNotRetried) {
  origin.set_handler(drops_second_request_on_connection_one());
  auto o = test_options();
  o.threads = 1;
  server = std::make_unique<EdgeServer>(gate, o);
  server->start();
  EXPECT_EQ(get(server->port()).result_int(), 200);
  RawClient c(server->port());
  c.send("POST /pay HTTP/1.1\r\nHost: app.test\r\nContent-Length: 3\r\n\r\nabc");
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 502);
  EXPECT_EQ(response_header(r, "X-Reason"), "origin_reset");
  EXPECT_EQ(origin.requests().size(), 2u);
}

TEST_F(OriginFailure, AConnectionTheOriginClosedWhileIdleIsNotReused) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.body = "ok";
    r.close = true;  // Connection: close, then the origin closes
    return r;
  });
  auto o = test_options();
  o.threads = 1;
  server = std::make_unique<EdgeServer>(gate, o);
  server->start();
  EXPECT_EQ(get(server->port()).result_int(), 200);
  EXPECT_EQ(get(server->port()).result_int(), 200);
  EXPECT_EQ(origin.connections(), 2);
  EXPECT_EQ(origin.requests().size(), 2u);
}

}  // namespace
}  // namespace gatehouse::edge::test
