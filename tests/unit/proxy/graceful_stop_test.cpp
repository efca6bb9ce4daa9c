// stop(): idle connections close at once, a request in flight completes (bounded by
// the grace period), then the threads end.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gatehouse::edge::test {
namespace {

class GracefulStop : public ::testing::Test {
 protected:
  void SetUp() override {
    origin.set_handler([](const ReceivedRequest& req) {
      OriginReply r;
      r.body = "done";
      if (req.target == "/slow") r.kind = OriginReply::Kind::hang;
      return r;
    });
    server = std::make_unique<EdgeServer>(gate, test_options());
    server->start();
    port = server->port();
  }
  void TearDown() override {
    origin.release();
    server->stop();
  }

  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
  std::uint16_t port = 0;
};

TEST_F(GracefulStop, LetsTheRequestInFlightFinishAndClosesIdleConnections) {
  RawClient idle(port);
  idle.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(idle.read_response().result_int(), 200);  // now idle in keep-alive

  RawClient busy(port);
  busy.send("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
  ASSERT_TRUE(origin.wait_for_requests(2));  // the slow request reached the origin

  auto stopped = std::async(std::launch::async, [this] { server->stop(std::chrono::seconds(20)); });
  EXPECT_TRUE(idle.closed_by_peer());  // closed by stop(), long before its keep-alive timeout
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);

  origin.release();
  const auto r = busy.read_response();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "done");
  EXPECT_EQ(response_header(r, "Connection"), "close");
  EXPECT_EQ(stopped.wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(server->running());
  // Nothing listens any more.
  EXPECT_THROW(RawClient{port}, boost::system::system_error);
}

TEST_F(GracefulStop, ClosesWhatIsLeftWhenTheGraceRunsOut) {
  RawClient busy(port);
  busy.send("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
  ASSERT_TRUE(origin.wait_for_requests(1));
  const auto t0 = std::chrono::steady_clock::now();
  server->stop(std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_TRUE(busy.closed_by_peer());
}

TEST_F(GracefulStop, StopFromAnotherThreadWhileServing) {
  std::atomic<bool> done{false};
  auto load = std::async(std::launch::async, [&] {
    int ok = 0;
    while (!done) {
      try {
        if (get(port).result_int() == 200) ++ok;
      } catch (const std::exception&) {
        // connection refused or closed by the stop: expected at the end
      }
    }
    return ok;
  });
  ASSERT_TRUE(origin.wait_for_requests(5));
  server->stop();
  done = true;
  EXPECT_GE(load.get(), 5);
  EXPECT_FALSE(server->running());
}

}  // namespace
}  // namespace gatehouse::edge::test
