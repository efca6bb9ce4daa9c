// The heads the transport writes: what reaches the origin and what reaches the client.
#include "edge/proxy/head_writer.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <gtest/gtest.h>

namespace gatehouse::edge {
namespace {

namespace bhttp = boost::beast::http;

Forward forward_to(const std::string& url) {
  std::string error;
  auto up = parse_upstream(url, {}, &error);
  EXPECT_TRUE(up) << error;
  Forward f;
  f.upstream = std::make_shared<const Upstream>(*up);
  return f;
}

bhttp::request_header<> request(std::initializer_list<std::pair<std::string, std::string>> fields,
                                std::string_view method = "GET", unsigned version = 11) {
  bhttp::request_header<> h;
  h.method_string(method);
  h.target("/p?q=1");
  h.version(version);
  for (const auto& [n, v] : fields) h.insert(n, v);
  return h;
}

std::string request_head(const bhttp::request_header<>& h, const Forward& f, RequestHeadParams p = {}) {
  ConnectionTokens tokens;
  tokens.parse(h);
  if (p.target.empty()) p.target = "/p?q=1";
  if (p.peer_ip.empty()) p.peer_ip = "192.0.2.7";
  std::string out;
  write_request_head(out, h, tokens, p, f);
  return out;
}

TEST(RequestHead, PrependsBasePathAndKeepsTheOriginalHost) {
  const auto out = request_head(request({{"Host", "app.example.com"}, {"Accept", "*/*"}}),
                                forward_to("http://10.0.0.5:3000/base"));
  EXPECT_EQ(out.rfind("GET /base/p?q=1 HTTP/1.1\r\nHost: app.example.com\r\n", 0), 0u) << out;
  EXPECT_NE(out.find("Accept: */*\r\n"), std::string::npos);
  EXPECT_NE(out.find("X-Forwarded-Host: app.example.com\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

TEST(RequestHead, UsesTheOriginHostWhenTheClientSentNone) {
  EXPECT_NE(request_head(request({}, "GET", 10), forward_to("http://10.0.0.5:3000")).find("Host: 10.0.0.5:3000\r\n"),
            std::string::npos);
  EXPECT_NE(request_head(request({}, "GET", 10), forward_to("https://[::1]")).find("Host: [::1]\r\n"), std::string::npos);
}

TEST(RequestHead, DropsHopByHopFieldsAndThoseNamedByConnection) {
  const auto out = request_head(request({{"Host", "a"},
                                         {"Connection", "keep-alive, X-Secret"},
                                         {"Keep-Alive", "timeout=5"},
                                         {"Proxy-Connection", "keep-alive"},
                                         {"TE", "trailers"},
                                         {"Upgrade", "h2c"},
                                         {"X-Secret", "s"},
                                         {"Proxy-Authorization", "Basic x"},
                                         {"X-Kept", "k"}}),
                                forward_to("http://o"));
  for (const char* gone : {"Connection:", "Keep-Alive:", "Proxy-Connection:", "TE:", "Upgrade:", "X-Secret:"})
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << "\n" << out;
  EXPECT_NE(out.find("X-Kept: k\r\n"), std::string::npos);
  // Not hop-by-hop in RFC 9110: relayed.
  EXPECT_NE(out.find("Proxy-Authorization: Basic x\r\n"), std::string::npos);
}

TEST(RequestHead, RewritesFraming) {
  RequestHeadParams chunked;
  chunked.framing = BodyFraming::chunked;
  auto out = request_head(request({{"Host", "a"}, {"Transfer-Encoding", "chunked"}}, "POST"), forward_to("http://o"),
                          chunked);
  EXPECT_NE(out.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(out.find("Transfer-Encoding"), out.rfind("Transfer-Encoding"));

  RequestHeadParams length;
  length.framing = BodyFraming::length;
  length.content_length = 42;
  out = request_head(request({{"Host", "a"}, {"Content-Length", "42"}}, "POST"), forward_to("http://o"), length);
  EXPECT_NE(out.find("Content-Length: 42\r\n"), std::string::npos);
  EXPECT_EQ(out.find("Content-Length"), out.rfind("Content-Length"));
}

TEST(RequestHead, DropsTheClientsXForwardedForAndReplacesProtoAndHost) {
  RequestHeadParams p;
  p.tls = true;
  const auto out = request_head(request({{"Host", "a.test"},
                                         {"X-Forwarded-For", "203.0.113.1"},
                                         {"X-Forwarded-For", "203.0.113.2, 10.1.1.1"},
                                         {"X-Forwarded-Proto", "gopher"},
                                         {"X-Forwarded-Host", "evil.test"}}),
                                forward_to("http://o"), p);
  // Not from a trusted proxy (the Gate gave no forwarded_for): the peer alone.
  EXPECT_NE(out.find("X-Forwarded-For: 192.0.2.7\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("203.0.113"), std::string::npos) << out;
  EXPECT_NE(out.find("CF-Connecting-IP: 192.0.2.7\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("X-Forwarded-Proto: https\r\n"), std::string::npos);
  EXPECT_NE(out.find("X-Forwarded-Host: a.test\r\n"), std::string::npos);
  EXPECT_EQ(out.find("gopher"), std::string::npos);
  EXPECT_EQ(out.find("evil.test"), std::string::npos);
  EXPECT_EQ(out.find("X-Forwarded-For"), out.rfind("X-Forwarded-For"));
}

TEST(RequestHead, SendsTheChainAndClientTheGateBelieved) {
  auto f = forward_to("http://o");
  f.forwarded_for = "203.0.113.5, 10.0.0.2";
  f.client_ip = "203.0.113.5";
  const auto out = request_head(request({{"Host", "a"}, {"X-Forwarded-For", "6.6.6.6, 203.0.113.5, 10.0.0.2"}}), f);
  EXPECT_NE(out.find("X-Forwarded-For: 203.0.113.5, 10.0.0.2, 192.0.2.7\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("CF-Connecting-IP: 203.0.113.5\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("6.6.6.6"), std::string::npos) << out;
}

TEST(RequestHead, DropsEveryClientSuppliedIdentityHeader) {
  const auto out = request_head(request({{"Host", "a"},
                                         {"Cf-Access-Authenticated-User-Email", "ceo@example.com"},
                                         {"CF-Connecting-IP", "1.1.1.1"},
                                         {"cf-ipcountry", "ZQcountry"},
                                         {"CF-Ray", "forged-ray"},
                                         {"X-Real-IP", "2.2.2.2"},
                                         {"True-Client-IP", "3.3.3.3"},
                                         {"X-Client-IP", "4.4.4.4"},
                                         {"Forwarded", "for=5.5.5.5"},
                                         {"X-Forwarded-Port", "1"},
                                         {"X-Original-URL", "/admin"},
                                         {"X-Rewrite-URL", "/admin"},
                                         {"X-Original-URI", "/admin"},
                                         {"cf-access-token", "eyJ.client"},
                                         {"X-Kept", "yes"}}),
                                forward_to("http://o"));
  for (const char* gone : {"ceo@example.com", "1.1.1.1", "ZQcountry", "forged-ray", "2.2.2.2", "3.3.3.3", "4.4.4.4",
                           "5.5.5.5", "X-Forwarded-Port", "/admin", "eyJ.client"})
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << "\n" << out;
  EXPECT_NE(out.find("X-Kept: yes\r\n"), std::string::npos);
  EXPECT_EQ(out.find("CF-Connecting-IP"), out.rfind("CF-Connecting-IP"));
}

TEST(RequestHead, StripsAndAddsTheGatesHeaders) {
  auto f = forward_to("http://o");
  f.strip_request_headers = {"cf-access-client-secret", "Cf-Access-Jwt-Assertion"};
  f.add_request_headers = {{"Cf-Access-Jwt-Assertion", "eyJ.real"}};
  const auto out = request_head(request({{"Host", "a"},
                                         {"CF-Access-Client-Secret", "s3cret"},
                                         {"cf-access-jwt-assertion", "forged"},
                                         {"CF-Access-Client-Id", "id"}}),
                                f);
  EXPECT_EQ(out.find("s3cret"), std::string::npos);
  EXPECT_EQ(out.find("forged"), std::string::npos);
  // A client's CF-Access-Client-Id is dropped too: the Gate adds the authenticated one.
  EXPECT_EQ(out.find("CF-Access-Client-Id: id\r\n"), std::string::npos);
  EXPECT_NE(out.find("Cf-Access-Jwt-Assertion: eyJ.real\r\n"), std::string::npos);
}

TEST(RequestHead, ForwardsAWebSocketUpgrade) {
  RequestHeadParams p;
  p.websocket = true;
  const auto out = request_head(
      request({{"Host", "a"}, {"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Key", "k=="}}),
      forward_to("http://o"), p);
  EXPECT_NE(out.find("Connection: upgrade\r\nUpgrade: websocket\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Sec-WebSocket-Key: k==\r\n"), std::string::npos);
}

bhttp::response_header<> response(unsigned status, std::initializer_list<std::pair<std::string, std::string>> fields) {
  bhttp::response_header<> h;
  h.result(status);
  h.version(11);
  for (const auto& [n, v] : fields) h.insert(n, v);
  return h;
}

std::string response_head(const bhttp::response_header<>& h, ResponseHeadParams p,
                          const std::vector<http::Header>& add = {}) {
  ConnectionTokens tokens;
  tokens.parse(h);
  std::string out;
  write_response_head(out, h, tokens, p, add);
  return out;
}

TEST(ResponseHead, DropsHopByHopFieldsAndAppendsTheGatesHeaders) {
  ResponseHeadParams p;
  p.plan = {BodyFraming::length, true};
  p.content_length = 5;
  const auto out = response_head(response(200, {{"Connection", "X-Internal, keep-alive"},
                                                {"Keep-Alive", "timeout=5"},
                                                {"X-Internal", "i"},
                                                {"Transfer-Encoding", "chunked"},
                                                {"Set-Cookie", "origin=1"},
                                                {"Content-Length", "999"}}),
                                 p, {{"Set-Cookie", "CF_Authorization=jwt; Path=/"}, {"Set-Cookie", "b=2"}});
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  for (const char* gone : {"Connection:", "Keep-Alive:", "X-Internal:", "Transfer-Encoding:", "999"})
    EXPECT_EQ(out.find(gone), std::string::npos) << gone;
  EXPECT_NE(out.find("Set-Cookie: origin=1\r\nSet-Cookie: CF_Authorization=jwt; Path=/\r\nSet-Cookie: b=2\r\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Content-Length: 5\r\n"), std::string::npos);
}

TEST(ResponseHead, KeepsContentLengthForHeadAnd304) {
  ResponseHeadParams p;
  p.head_request = true;
  EXPECT_NE(response_head(response(200, {{"Content-Length", "1234"}}), p).find("Content-Length: 1234\r\n"),
            std::string::npos);
  ResponseHeadParams q;
  EXPECT_NE(response_head(response(304, {{"Content-Length", "77"}}), q).find("Content-Length: 77\r\n"),
            std::string::npos);
  EXPECT_EQ(response_head(response(204, {{"Content-Length", "0"}}), q).find("Content-Length"), std::string::npos);
}

TEST(ResponseHead, SaysKeepAliveToHttp10ClientsAndCloseWhenClosing) {
  ResponseHeadParams p;
  p.plan = {BodyFraming::length, true};
  p.client_version = 10;
  EXPECT_NE(response_head(response(200, {}), p).find("Connection: keep-alive\r\n"), std::string::npos);
  p.plan = {BodyFraming::close, false};
  const auto out = response_head(response(200, {}), p);
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(out.find("Transfer-Encoding"), std::string::npos);
}

TEST(ResponseHead, KeepsUpgradeOnA101) {
  ResponseHeadParams p;
  p.switching = true;
  const auto out = response_head(
      response(101, {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Accept", "x="}}), p);
  EXPECT_NE(out.find("Upgrade: websocket\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Connection: upgrade\r\n"), std::string::npos);
  EXPECT_NE(out.find("Sec-WebSocket-Accept: x=\r\n"), std::string::npos);
}

TEST(PlanResponse, FramesBodiesForTheClientsVersion) {
  EXPECT_EQ(plan_response(200, false, true, 11, true).framing, BodyFraming::length);
  EXPECT_EQ(plan_response(200, false, false, 11, true).framing, BodyFraming::chunked);
  const auto old = plan_response(200, false, false, 10, true);
  EXPECT_EQ(old.framing, BodyFraming::close);
  EXPECT_FALSE(old.keep_alive);
  EXPECT_EQ(plan_response(200, true, false, 11, true).framing, BodyFraming::none);
  EXPECT_EQ(plan_response(204, false, false, 11, true).framing, BodyFraming::none);
  EXPECT_EQ(plan_response(304, false, true, 11, true).framing, BodyFraming::none);
  EXPECT_FALSE(plan_response(200, false, true, 11, false).keep_alive);
}

TEST(LocalResponse, ReplacesFramingFields) {
  http::Response r;
  r.status = 403;
  r.set("Content-Length", "1").set("Connection", "keep-alive").set("Content-Type", "text/plain");
  r.body = "denied";
  std::string out;
  write_local_response_head(out, r, false, 11);
  EXPECT_EQ(out, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\n");
}

TEST(ChunkHeader, IsHexWithCrlf) {
  char buf[20];
  EXPECT_EQ(std::string_view(buf, format_chunk_header(buf, 0x1a2b)), "1a2b\r\n");
  EXPECT_EQ(std::string_view(buf, format_chunk_header(buf, 1)), "1\r\n");
}

}  // namespace
}  // namespace gatehouse::edge
