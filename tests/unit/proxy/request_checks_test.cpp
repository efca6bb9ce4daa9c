// RFC 9112 checks the transport makes before decide(): each case, at the function level.
// (framing_rejection_test.cpp sends the same cases over the wire.)
#include "edge/proxy/request_checks.hpp"

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace gatehouse::edge {
namespace {

namespace bhttp = boost::beast::http;

// Parses `raw` the way the session does; returns the refusal, or nullopt if accepted.
std::optional<proxy_errc> verdict(const std::string& raw) {
  bhttp::request_parser<bhttp::buffer_body> p;
  p.header_limit(32 * 1024);
  boost::system::error_code ec;
  const auto n = p.put(boost::asio::buffer(raw), ec);
  if (ec) return classify_parse_error(ec, p.get());
  EXPECT_TRUE(p.is_header_done()) << raw;
  return check_request_head(p.get(), std::string_view(raw).substr(0, n));
}

TEST(RequestChecks, AcceptsAPlainRequest) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), std::nullopt);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"), std::nullopt);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), std::nullopt);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"), std::nullopt);
  EXPECT_EQ(verdict("GET / HTTP/1.0\r\n\r\n"), std::nullopt);  // Host optional in 1.0
}

TEST(RequestChecks, RefusesDuplicateContentLength) {
  // Beast refuses differing values itself, and accepts identical ones: we refuse both.
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"),
            proxy_errc::duplicate_content_length);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"),
            proxy_errc::duplicate_content_length);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n"), proxy_errc::duplicate_content_length);
}

TEST(RequestChecks, RefusesANonNumericContentLength) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n"), proxy_errc::invalid_content_length);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n"), proxy_errc::invalid_content_length);
}

TEST(RequestChecks, RefusesContentLengthWithTransferEncodingInEitherOrder) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
            proxy_errc::content_length_with_transfer_encoding);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
            proxy_errc::content_length_with_transfer_encoding);
  // Beast accepts this one (the coding is not chunked): we do not.
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\n"),
            proxy_errc::content_length_with_transfer_encoding);
}

TEST(RequestChecks, RefusesTransferEncodingNotEndingInChunked) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
            proxy_errc::transfer_encoding_not_chunked_last);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"),
            proxy_errc::transfer_encoding_not_chunked_last);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n"),
            proxy_errc::transfer_encoding_not_chunked_last);
}

TEST(RequestChecks, AnswersOtherCodingsBeforeChunkedWith501) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            proxy_errc::unsupported_transfer_coding);
  EXPECT_EQ(proxy_status(proxy_errc::unsupported_transfer_coding), 501);
}

TEST(RequestChecks, RefusesRepeatedTransferEncoding) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"),
            proxy_errc::duplicate_transfer_encoding);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
            proxy_errc::duplicate_transfer_encoding);
}

TEST(RequestChecks, RefusesTransferEncodingInHttp10) {
  EXPECT_EQ(verdict("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), proxy_errc::transfer_encoding_in_http10);
}

TEST(RequestChecks, RefusesControlCharactersInValues) {
  EXPECT_EQ(verdict(std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a") + '\0' + "b\r\n\r\n"),
            proxy_errc::invalid_header_value);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n"), proxy_errc::invalid_header_value);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"), proxy_errc::bad_line_ending);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nX: a\x01" "b\r\n\r\n"), proxy_errc::invalid_header_value);
}

TEST(RequestChecks, RefusesObsFold) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"), proxy_errc::obs_fold);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n"), proxy_errc::obs_fold);
}

// Beast consumes the request line and complete fields as they arrive; the fold must
// still be seen when it lies in an earlier read than the end of the head (found by
// tests/fuzz/request_head).
TEST(RequestChecks, RefusesObsFoldInAHeadSplitAcrossReads) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\nY: c\r\n\r\n";
  const auto split = head.find("Y:") + 2;
  bhttp::request_parser<bhttp::buffer_body> p;
  std::string buffer = head.substr(0, split), taken;
  const HeadStep first = read_head_step(p, buffer, taken, 32 * 1024);
  ASSERT_FALSE(first.finished);
  ASSERT_GT(first.consumed, 0u);  // the fold is in the part consumed now
  buffer.erase(0, first.consumed);
  buffer += head.substr(split);
  const HeadStep second = read_head_step(p, buffer, taken, 32 * 1024);
  ASSERT_TRUE(second.finished);
  EXPECT_EQ(second.problem, proxy_errc::obs_fold);
}

TEST(RequestChecks, RefusesWhitespaceBeforeTheFirstField) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\n Host: a\r\n\r\n"), proxy_errc::invalid_header_name);
}

TEST(RequestChecks, RefusesBadNamesAndRequestLines) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n"), proxy_errc::invalid_header_name);
  EXPECT_EQ(verdict("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), proxy_errc::malformed_request_line);
  EXPECT_EQ(verdict("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"), proxy_errc::malformed_request_line);
}

TEST(RequestChecks, RequiresExactlyOneHostInHttp11) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\n\r\n"), proxy_errc::missing_host);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), proxy_errc::duplicate_host);
}

// Beast checks its header limit only while the head is incomplete: a whole head in one
// read passed it by the request line's length, split into pieces it did not (found by
// tests/fuzz/request_head). The step counts the complete head.
TEST(RequestChecks, TheHeaderLimitHoldsWhereverTheReadsFall) {
  const std::uint32_t limit = 256;
  std::string head = "POST /x HTTP/1.1\r\nHost: a\r\nX: ";
  head += std::string(limit - head.size() - 4 + 10, 'v') + "\r\n\r\n";  // 10 bytes over
  ASSERT_EQ(head.size(), limit + 10);
  for (std::size_t piece : {head.size(), std::size_t(1), std::size_t(10), std::size_t(100)}) {
    bhttp::request_parser<bhttp::buffer_body> p;
    p.header_limit(limit);
    std::string buffer, taken;
    HeadStep step;
    for (std::size_t at = 0; at < head.size() && !step.finished;) {
      buffer += head.substr(at, piece);
      at += piece;
      step = read_head_step(p, buffer, taken, limit);
      buffer.erase(0, step.consumed);
    }
    ASSERT_TRUE(step.finished) << piece;
    EXPECT_EQ(step.problem, proxy_errc::header_too_large) << piece;
  }
  // Exactly at the limit is accepted, in one read as in pieces.
  const std::string fits = head.substr(0, head.size() - 14) + "\r\n\r\n";
  ASSERT_EQ(fits.size(), limit);
  for (std::size_t piece : {fits.size(), std::size_t(1), std::size_t(7)}) {
    bhttp::request_parser<bhttp::buffer_body> p;
    p.header_limit(limit);
    std::string buffer, taken;
    HeadStep step;
    for (std::size_t at = 0; at < fits.size() && !step.finished;) {
      buffer += fits.substr(at, piece);
      at += piece;
      step = read_head_step(p, buffer, taken, limit);
      buffer.erase(0, step.consumed);
    }
    ASSERT_TRUE(step.finished) << piece;
    EXPECT_FALSE(step.problem.has_value()) << piece << " " << (step.problem ? int(*step.problem) : 0);
  }
}

TEST(RequestChecks, ClassifiesTheHeaderLimitAs431) {
  bhttp::request_parser<bhttp::buffer_body> p;
  p.header_limit(64);
  boost::system::error_code ec;
  const std::string raw = "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + std::string(100, 'c') + "\r\n\r\n";
  p.put(boost::asio::buffer(raw), ec);
  const auto e = classify_parse_error(ec, p.get());
  EXPECT_EQ(e, proxy_errc::header_too_large);
  EXPECT_EQ(proxy_status(e), 431);
  EXPECT_EQ(proxy_reason_slug(e), "header_too_large");
}

TEST(OriginFormTarget, KeepsPathsAndAcceptsAbsoluteFormForTheSameHost) {
  EXPECT_EQ(origin_form_target("/a?b", "h"), "/a?b");
  EXPECT_EQ(origin_form_target("http://h/a?b", "h"), "/a?b");
  EXPECT_EQ(origin_form_target("HTTPS://H:8443/x", "h:8443"), "/x");
  EXPECT_EQ(origin_form_target("http://h", "h"), "/");
}

TEST(OriginFormTarget, RefusesOtherForms) {
  EXPECT_EQ(origin_form_target("http://other/a", "h"), std::nullopt);
  EXPECT_EQ(origin_form_target("h:443", "h"), std::nullopt);  // authority-form (CONNECT)
  EXPECT_EQ(origin_form_target("*", "h"), std::nullopt);
  EXPECT_EQ(origin_form_target("http://h?q", "h"), std::nullopt);
}

TEST(ProxyErrc, EveryCodeHasAStatusSlugAndMessage) {
  for (int i = static_cast<int>(proxy_errc::malformed_request); i <= static_cast<int>(proxy_errc::gate_failed); ++i) {
    const auto e = static_cast<proxy_errc>(i);
    EXPECT_FALSE(proxy_reason_slug(e).empty()) << i;
    EXPECT_NE(make_error_code(e).message(), "unknown edge transport error") << i;
    EXPECT_GE(proxy_status(e), 400) << i;
  }
  EXPECT_EQ(proxy_reason_slug(proxy_errc::origin_unreachable), "origin_unreachable");
  EXPECT_EQ(proxy_reason_slug(proxy_errc::origin_reset), "origin_reset");
  EXPECT_EQ(proxy_reason_slug(proxy_errc::origin_timeout), "origin_timeout");
  EXPECT_EQ(proxy_status(proxy_errc::origin_timeout), 504);
  EXPECT_EQ(proxy_status(proxy_errc::origin_reset), 502);
}

}  // namespace
}  // namespace gatehouse::edge
