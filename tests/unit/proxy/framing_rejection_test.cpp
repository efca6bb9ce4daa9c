// Requests refused before decide(), over the wire: the client gets the Gate's error
// page with the right status and slug, the connection closes, and neither the Gate
// nor the origin ever sees the request.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gatehouse::edge::test {
namespace {

struct Case {
  const char* name;
  std::string request;
  int status;
  const char* slug;
};

class Rejection : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    server = std::make_unique<EdgeServer>(gate, test_options());
    server->start();
  }
  void TearDown() override { server->stop(); }

  TestOrigin origin;
  TestGate gate{origin.url()};
  std::unique_ptr<EdgeServer> server;
};

TEST_P(Rejection, IsRefusedBeforeTheGateAndTheOrigin) {
  const auto& c = GetParam();
  RawClient client(server->port());
  client.send(c.request);
  const auto r = client.read_response();
  EXPECT_EQ(r.result_int(), c.status);
  EXPECT_EQ(response_header(r, "X-Reason"), c.slug);
  EXPECT_EQ(response_header(r, "Connection"), "close");
  // A smuggled second request in the same bytes is never answered or forwarded.
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_EQ(gate.decide_calls(), 0);
  EXPECT_TRUE(origin.requests().empty());
  EXPECT_EQ(origin.connections(), 0);
}

const std::string kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n";

INSTANTIATE_TEST_SUITE_P(
    Framing, Rejection,
    ::testing::Values(
        Case{"ContentLengthThenTransferEncoding",
             "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                 kSmuggled,
             400, "content_length_with_transfer_encoding"},
        Case{"TransferEncodingThenContentLength",
             "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" +
                 kSmuggled,
             400, "content_length_with_transfer_encoding"},
        Case{"ConflictingContentLengths",
             "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", 400,
             "duplicate_content_length"},
        Case{"RepeatedContentLength",
             "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nabcde", 400,
             "duplicate_content_length"},
        Case{"ContentLengthList", "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5, 5\r\n\r\nabcde", 400,
             "duplicate_content_length"},
        Case{"ChunkedNotLast",
             "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + kSmuggled,
             400, "transfer_encoding_not_chunked_last"},
        Case{"UnknownCodingBeforeChunked",
             "POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501,
             "unsupported_transfer_coding"},
        Case{"TransferEncodingInHttp10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
             "transfer_encoding_in_http10"},
        Case{"LineFeedInAValue", "GET / HTTP/1.1\r\nHost: app.test\r\nX-A: one\ntwo\r\n\r\n", 400,
             "invalid_header_value"},
        Case{"CarriageReturnInAValue", "GET / HTTP/1.1\r\nHost: app.test\r\nX-A: one\rtwo\r\n\r\n", 400,
             "bad_line_ending"},
        Case{"NulInAValue", std::string("GET / HTTP/1.1\r\nHost: app.test\r\nX-A: one") + '\0' + "two\r\n\r\n", 400,
             "invalid_header_value"},
        Case{"ObsFold", "GET / HTTP/1.1\r\nHost: app.test\r\nX-A: one\r\n two\r\n\r\n", 400, "obs_fold"},
        Case{"HugeCookie", "GET / HTTP/1.1\r\nHost: app.test\r\nCookie: a=" + std::string(100 * 1024, 'c') + "\r\n\r\n",
             431, "header_too_large"},
        Case{"MissingHost", "GET / HTTP/1.1\r\n\r\n", 400, "missing_host"},
        Case{"TwoHosts", "GET / HTTP/1.1\r\nHost: app.test\r\nHost: other.test\r\n\r\n", 400, "duplicate_host"},
        Case{"AuthorityFormTarget", "CONNECT app.test:443 HTTP/1.1\r\nHost: app.test\r\n\r\n", 400,
             "unsupported_target"},
        Case{"ForeignAbsoluteForm", "GET http://other.test/ HTTP/1.1\r\nHost: app.test\r\n\r\n", 400,
             "unsupported_target"},
        Case{"NotHttp", "HELLO\r\n\r\n", 400, "malformed_request_line"}),
    [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

TEST(BodyLimit, AContentLengthOverTheLimitGets413) {
  TestOrigin origin;
  TestGate gate{origin.url()};
  auto o = test_options();
  o.body_limit = 1000;
  EdgeServer server(gate, o);
  server.start();
  RawClient c(server.port());
  c.send("POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5000\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(response_header(r, "X-Reason"), "body_too_large");
  EXPECT_TRUE(origin.requests().empty());
  server.stop();
}

TEST(BodyLimit, AChunkedBodyGoingOverTheLimitGets413) {
  TestOrigin origin;
  TestGate gate{origin.url()};
  auto o = test_options();
  o.body_limit = 1000;
  EdgeServer server(gate, o);
  server.start();
  RawClient c(server.port());
  c.send("POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'x') +
         "\r\n0\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(response_header(r, "X-Reason"), "body_too_large");
  server.stop();
}

// A chunked body whose framing breaks after the head went to the origin: the client
// gets a 400 (nothing of a response was sent yet), and the origin connection, left
// mid-request, is closed rather than pooled.
class MalformedChunkedBody : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedChunkedBody, Is400AndTheOriginConnectionIsNotReused) {
  TestOrigin origin;
  TestGate gate{origin.url()};
  EdgeServer server(gate, test_options());
  server.start();
  {
    RawClient c(server.port());
    c.send(GetParam().request);
    const auto r = c.read_response();
    EXPECT_EQ(r.result_int(), GetParam().status);
    EXPECT_EQ(response_header(r, "X-Reason"), GetParam().slug);
    EXPECT_EQ(response_header(r, "Connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
  }
  // The next request gets a fresh origin connection: the half-used one was dropped.
  RawClient next(server.port());
  next.send("GET /next HTTP/1.1\r\nHost: app.test\r\n\r\n");
  EXPECT_EQ(next.read_response().result_int(), 200);
  EXPECT_EQ(origin.connections(), 2);
  server.stop();
}

const std::string kChunkedHead = "POST /up HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n";

INSTANTIATE_TEST_SUITE_P(
    Body, MalformedChunkedBody,
    ::testing::Values(Case{"BadSize", kChunkedHead + "zz\r\nhello\r\n0\r\n\r\n", 400, "malformed_body"},
                      Case{"Overflow", kChunkedHead + "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n", 400,
                           "malformed_body"},
                      Case{"LfOnly", kChunkedHead + "5\nhello\n0\n\n", 400, "malformed_body"},
                      Case{"NoCrlfAfterData", kChunkedHead + "5\r\nhelloXX0\r\n\r\n", 400, "malformed_body"}),
    [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace gatehouse::edge::test
