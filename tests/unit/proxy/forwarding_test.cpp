// Requests through a real EdgeServer to a real loopback origin: what the origin sees
// and what the client gets back.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gatehouse::edge::test {
namespace {

class Forwarding : public ::testing::Test {
 protected:
  void start(EdgeOptions o = test_options()) {
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

TEST_F(Forwarding, ReportsTheBoundAddress) {
  start();
  EXPECT_NE(port, 0);
  EXPECT_EQ(server->local_address(), "127.0.0.1:" + std::to_string(port));
  EXPECT_TRUE(server->running());
}

TEST_F(Forwarding, KeepAliveRequestsShareOneOriginConnection) {
  start();
  RawClient c(port);
  for (int i = 0; i < 3; ++i) {
    c.send("GET /n" + std::to_string(i) + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
    const auto r = c.read_response();
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "hello from origin");
  }
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].target, "/n2");
  EXPECT_EQ(origin.connections(), 1);
}

TEST_F(Forwarding, ThePoolOutlivesClientConnections) {
  auto o = test_options();
  o.threads = 1;  // one pool
  start(o);
  EXPECT_EQ(get(port).result_int(), 200);
  EXPECT_EQ(get(port).result_int(), 200);
  EXPECT_EQ(get(port).result_int(), 200);
  EXPECT_EQ(origin.connections(), 1);
}

TEST_F(Forwarding, PostBodiesReachTheOrigin) {
  start();
  RawClient c(port);
  for (int i = 0; i < 2; ++i) {
    c.send("POST /form HTTP/1.1\r\nHost: app.test\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world");
    EXPECT_EQ(c.read_response().result_int(), 200);
  }
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].body, "hello world");
  EXPECT_EQ(seen[1].header("Content-Length"), "11");
  EXPECT_FALSE(seen[1].chunked);
  EXPECT_EQ(origin.connections(), 1);
}

TEST_F(Forwarding, ChunkedRequestBodiesStayChunked) {
  start();
  RawClient c(port);
  c.send("POST /up HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 200);
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].chunked);
  EXPECT_EQ(seen[0].body, "hello world");
  EXPECT_EQ(seen[0].count("Content-Length"), 0u);
  // The connection stays usable after a chunked body.
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 200);
}

TEST_F(Forwarding, ChunkedResponsesAreRelayedChunked) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.chunked = true;
    r.body = "chunky body";
    return r;
  });
  start();
  RawClient c(port);
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.body(), "chunky body");
  EXPECT_EQ(response_header(r, "Transfer-Encoding"), "chunked");
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().body(), "chunky body");
}

TEST_F(Forwarding, Http10ClientsGetACloseDelimitedBodyInsteadOfChunks) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.chunked = true;
    r.body = "for an old client";
    return r;
  });
  start();
  RawClient c(port);
  c.send("GET /old HTTP/1.0\r\n\r\n");
  const auto raw = c.read_until_close();
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << raw;
  EXPECT_EQ(raw.find("chunked"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Connection: close\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.substr(raw.size() - 17), "for an old client");
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].version, 11u);  // origins are always spoken to in HTTP/1.1
  EXPECT_EQ(seen[0].header("Host"), "127.0.0.1:" + std::to_string(origin.port()));
}

TEST_F(Forwarding, Http10KeepAliveIsHonouredWithALength) {
  start();
  RawClient c(port);
  c.send("GET / HTTP/1.0\r\nHost: app.test\r\nConnection: keep-alive\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(response_header(r, "Connection"), "keep-alive");
  c.send("GET / HTTP/1.0\r\nHost: app.test\r\n\r\n");
  r = c.read_response();
  EXPECT_EQ(r.body(), "hello from origin");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(Forwarding, StripsAndAddsTheGatesHeaders) {
  gate.strip_request_headers = {"CF-Access-Client-Secret"};
  gate.add_request_headers = {{"Cf-Access-Jwt-Assertion", "eyJhbGciOi.jwt"}};
  gate.add_response_headers = {{"Set-Cookie", "CF_Authorization=eyJ; Path=/; HttpOnly"}, {"Set-Cookie", "second=2"}};
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.headers = {{"Set-Cookie", "origin=1"}};
    r.body = "ok";
    return r;
  });
  start();
  const auto r = get(port, "/", "CF-Access-Client-Id: abc.access\r\nCF-Access-Client-Secret: cfast_secret\r\n");
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].count("CF-Access-Client-Secret"), 0u);
  // Every client-sent Cf-* header is dropped; this TestGate adds no client id.
  EXPECT_EQ(seen[0].count("CF-Access-Client-Id"), 0u);
  EXPECT_EQ(seen[0].header("Cf-Access-Jwt-Assertion"), "eyJhbGciOi.jwt");
  ASSERT_EQ(response_header_count(r, "Set-Cookie"), 3u);
  std::vector<std::string> cookies;
  for (const auto& f : r)
    if (f.name() == boost::beast::http::field::set_cookie) cookies.emplace_back(f.value());
  EXPECT_EQ(cookies, (std::vector<std::string>{"origin=1", "CF_Authorization=eyJ; Path=/; HttpOnly", "second=2"}));
}

TEST_F(Forwarding, SetsXForwardedHeadersAndKeepsTheHost) {
  start();
  get(port, "/xf", "X-Forwarded-For: 198.51.100.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: spoofed\r\n");
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("Host"), "app.test");
  // The client is not a trusted proxy: its X-Forwarded-For is dropped.
  EXPECT_EQ(seen[0].header("X-Forwarded-For"), "127.0.0.1");
  EXPECT_EQ(seen[0].header("CF-Connecting-IP"), "127.0.0.1");
  EXPECT_EQ(seen[0].header("X-Forwarded-Proto"), "http");
  EXPECT_EQ(seen[0].header("X-Forwarded-Host"), "app.test");
  EXPECT_EQ(seen[0].count("X-Forwarded-Host"), 1u);
}

TEST_F(Forwarding, RemovesHopByHopHeadersBothWays) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.headers = {{"Connection", "X-Origin-Hop"}, {"X-Origin-Hop", "1"}, {"Keep-Alive", "timeout=9"},
                 {"Proxy-Connection", "keep-alive"}, {"X-End-To-End", "yes"}};
    r.body = "ok";
    return r;
  });
  start();
  const auto r = get(port, "/", "Connection: X-Client-Hop, keep-alive\r\nX-Client-Hop: 1\r\nKeep-Alive: timeout=3\r\n"
                                "TE: trailers\r\nUpgrade: h2c\r\nProxy-Connection: keep-alive\r\nX-Kept: k\r\n");
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  for (const char* gone : {"X-Client-Hop", "Keep-Alive", "TE", "Upgrade", "Proxy-Connection", "Connection"})
    EXPECT_EQ(seen[0].count(gone), 0u) << gone;
  EXPECT_EQ(seen[0].header("X-Kept"), "k");
  for (const char* gone : {"X-Origin-Hop", "Keep-Alive", "Proxy-Connection", "Connection"})
    EXPECT_EQ(response_header_count(r, gone), 0u) << gone;
  EXPECT_EQ(response_header(r, "X-End-To-End"), "yes");
}

TEST_F(Forwarding, PrependsTheOriginBasePath) {
  gate.set_origin(origin.url() + "/base");
  start();
  get(port, "/p/q?x=1");
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/base/p/q?x=1");
}

TEST_F(Forwarding, AcceptsAbsoluteFormForTheSameHost) {
  start();
  RawClient c(port);
  c.send("GET http://app.test/abs?x HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 200);
  EXPECT_EQ(gate.last_head().target, "/abs?x");
  ASSERT_EQ(origin.requests().size(), 1u);
  EXPECT_EQ(origin.requests()[0].target, "/abs?x");
}

TEST_F(Forwarding, TheGateSeesTheRequestHead) {
  start();
  get(port, "/seen?q=1", "X-Custom: v\r\n");
  const auto h = gate.last_head();
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.target, "/seen?q=1");
  EXPECT_EQ(h.version, 11u);
  EXPECT_EQ(h.remote_ip, "127.0.0.1");
  EXPECT_FALSE(h.tls);
  EXPECT_EQ(h.headers, (Headers{{"Host", "app.test"}, {"X-Custom", "v"}}));
}

TEST_F(Forwarding, TheGateCanAnswerItselfAndTheConnectionContinues) {
  gate.respond = [](const RequestHead& h) -> std::optional<http::Response> {
    if (h.target != "/local") return std::nullopt;
    http::Response r;
    r.status = 403;
    r.set("Content-Type", "text/plain");
    r.body = "denied here";
    return r;
  };
  start();
  RawClient c(port);
  c.send("POST /local HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nabcde");
  auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 403);
  EXPECT_EQ(r.body(), "denied here");
  c.send("GET /other HTTP/1.1\r\nHost: app.test\r\n\r\n");
  r = c.read_response();
  EXPECT_EQ(r.result_int(), 200);
  ASSERT_EQ(origin.requests().size(), 1u);
  EXPECT_EQ(origin.requests()[0].target, "/other");
}

TEST_F(Forwarding, HeadResponsesKeepTheirLengthAndHaveNoBody) {
  origin.set_handler([](const ReceivedRequest&) {
    OriginReply r;
    r.body = "seventeen bytes!!";
    return r;
  });
  start();
  RawClient c(port);
  c.send("HEAD / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  const auto r = c.read_response(true);
  EXPECT_EQ(response_header(r, "Content-Length"), "17");
  c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().body(), "seventeen bytes!!");
}

TEST_F(Forwarding, NoContentAndNotModifiedHaveNoBody) {
  origin.set_handler([](const ReceivedRequest& req) {
    OriginReply r;
    r.status = req.target == "/204" ? 204 : 304;
    r.headers = {{"ETag", "\"v1\""}};
    return r;
  });
  start();
  RawClient c(port);
  c.send("GET /204 HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 204);
  c.send("GET /304 HTTP/1.1\r\nHost: app.test\r\nIf-None-Match: \"v1\"\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 304);
  EXPECT_EQ(response_header(r, "ETag"), "\"v1\"");
  EXPECT_EQ(origin.connections(), 1);
}

TEST_F(Forwarding, RelaysInterimContinueForExpect) {
  start();
  RawClient c(port);
  c.send("PUT /doc HTTP/1.1\r\nHost: app.test\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  const auto interim = c.read_response();
  EXPECT_EQ(interim.result_int(), 100);
  c.send("body");
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 200);
  ASSERT_EQ(origin.requests().size(), 1u);
  EXPECT_EQ(origin.requests()[0].body, "body");
}

TEST_F(Forwarding, AnswersPipelinedRequestsInOrder) {
  start();
  RawClient c(port);
  c.send("GET /1 HTTP/1.1\r\nHost: app.test\r\n\r\nGET /2 HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 200);
  EXPECT_EQ(c.read_response().result_int(), 200);
  const auto seen = origin.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target, "/1");
  EXPECT_EQ(seen[1].target, "/2");
}

TEST_F(Forwarding, AGateThatThrowsGets500AndTheServerStaysUp) {
  gate.respond = [](const RequestHead& h) -> std::optional<http::Response> {
    if (h.target == "/boom") throw std::runtime_error("bug");
    return std::nullopt;
  };
  start();
  const auto r = get(port, "/boom");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(response_header(r, "X-Reason"), "internal_error");
  EXPECT_EQ(get(port, "/fine").result_int(), 200);
}

TEST_F(Forwarding, ManyConnectionsAcrossThreads) {
  auto o = test_options();
  o.threads = 4;
  start(o);
  std::vector<std::future<unsigned>> results;
  for (int i = 0; i < 16; ++i)
    results.push_back(std::async(std::launch::async, [this] { return get(port).result_int(); }));
  for (auto& r : results) EXPECT_EQ(r.get(), 200u);
  EXPECT_EQ(origin.requests().size(), 16u);
}

TEST_F(Forwarding, StartTwiceThrowsAndStopIsIdempotent) {
  start();
  EXPECT_THROW(server->start(), std::runtime_error);
  server->stop();
  server->stop();
  EXPECT_FALSE(server->running());
  EXPECT_EQ(server->local_address(), "");
  server->start();  // restartable
  EXPECT_EQ(get(server->port()).result_int(), 200);
}

TEST_F(Forwarding, BindFailureNamesTheAddress) {
  auto o = test_options();
  o.listen = "203.0.113.1:80";  // TEST-NET-3, not on this machine
  EdgeServer s(gate, o);
  try {
    s.start();
    FAIL() << "start() should throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("203.0.113.1:80"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gatehouse::edge::test
