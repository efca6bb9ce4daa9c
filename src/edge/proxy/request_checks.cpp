#include "edge/proxy/request_checks.hpp"

#include "http/message.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace gatehouse::edge {

namespace bhttp = boost::beast::http;
using bhttp::field;

proxy_errc classify_parse_error(const boost::system::error_code& ec, const bhttp::request_header<>& partial) {
  if (ec == bhttp::error::header_limit) return proxy_errc::header_too_large;
  if (ec == bhttp::error::bad_value) return proxy_errc::invalid_header_value;
  if (ec == bhttp::error::bad_field) return proxy_errc::invalid_header_name;
  if (ec == bhttp::error::bad_line_ending) return proxy_errc::bad_line_ending;
  if (ec == bhttp::error::bad_method || ec == bhttp::error::bad_target || ec == bhttp::error::bad_version)
    return proxy_errc::malformed_request_line;
  if (ec == bhttp::error::multiple_content_length) return proxy_errc::duplicate_content_length;
  if (ec == bhttp::error::bad_content_length)
    return partial.count(field::transfer_encoding) ? proxy_errc::content_length_with_transfer_encoding
                                                   : proxy_errc::invalid_content_length;
  if (ec == bhttp::error::bad_transfer_encoding)
    return partial.count(field::content_length) ? proxy_errc::content_length_with_transfer_encoding
                                                : proxy_errc::duplicate_transfer_encoding;
  return proxy_errc::malformed_request;
}

namespace {

bool has_obs_fold(std::string_view raw) {
  // A line that starts with SP or HTAB continues the previous one (RFC 9112 §5.2).
  for (std::size_t i = raw.find('\n'); i != std::string_view::npos && i + 1 < raw.size(); i = raw.find('\n', i + 1))
    if (raw[i + 1] == ' ' || raw[i + 1] == '\t') return true;
  return false;
}

std::optional<proxy_errc> check_transfer_encoding(const bhttp::request_header<>& head) {
  const auto te = head.find(field::transfer_encoding);
  if (te == head.end()) return std::nullopt;
  if (head.count(field::transfer_encoding) > 1) return proxy_errc::duplicate_transfer_encoding;
  if (head.version() < 11) return proxy_errc::transfer_encoding_in_http10;
  if (head.count(field::content_length)) return proxy_errc::content_length_with_transfer_encoding;
  std::size_t codings = 0;
  std::string_view last;
  for (auto token : bhttp::token_list{te->value()}) {
    ++codings;
    last = std::string_view(token.data(), token.size());
  }
  if (codings == 0 || !http::iequals(last, "chunked")) return proxy_errc::transfer_encoding_not_chunked_last;
  // We re-frame bodies with chunked only, so another coding would reach the origin
  // undone; RFC 9112 §6.1 answers codings we do not implement with 501.
  if (codings > 1) return proxy_errc::unsupported_transfer_coding;
  return std::nullopt;
}

}  // namespace

std::optional<proxy_errc> check_request_head(const bhttp::request_header<>& head, std::string_view raw) {
  if (has_obs_fold(raw)) return proxy_errc::obs_fold;
  if (const auto cl = head.find(field::content_length); cl != head.end()) {
    if (head.count(field::content_length) > 1 || cl->value().find(',') != std::string_view::npos)
      return proxy_errc::duplicate_content_length;
  }
  if (auto e = check_transfer_encoding(head)) return e;
  const auto hosts = head.count(field::host);
  if (hosts > 1) return proxy_errc::duplicate_host;
  if (hosts == 0 && head.version() >= 11) return proxy_errc::missing_host;
  return std::nullopt;
}

HeadStep read_head_step(bhttp::request_parser<bhttp::buffer_body>& parser, std::string_view buffer,
                        std::string& taken, std::uint32_t header_limit) {
  boost::system::error_code ec;
  const std::size_t n = parser.put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
  if (!ec && parser.is_header_done()) {
    std::string_view raw = buffer.substr(0, n);
    if (!taken.empty()) {
      taken.append(raw);
      raw = taken;
    }
    if (raw.size() > header_limit) return {n, true, proxy_errc::header_too_large};
    return {n, true, check_request_head(parser.get(), raw)};
  }
  if (ec == bhttp::error::body_limit) return {n, true, proxy_errc::body_too_large};  // Content-Length over the limit
  if (ec != bhttp::error::need_more) return {n, true, classify_parse_error(ec, parser.get())};
  taken.append(buffer.substr(0, n));
  return {n, false, std::nullopt};
}

std::optional<std::string_view> origin_form_target(std::string_view target, std::string_view host) {
  if (!target.empty() && target.front() == '/') return target;
  std::string_view rest;
  auto starts_with_scheme = [&](std::string_view scheme) {
    if (target.size() < scheme.size() || !http::iequals(target.substr(0, scheme.size()), scheme)) return false;
    rest = target.substr(scheme.size());
    return true;
  };
  if (!starts_with_scheme("http://") && !starts_with_scheme("https://")) return std::nullopt;
  const auto end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, end);
  if (authority.empty() || host.empty() || !http::iequals(authority, host)) return std::nullopt;
  if (end == std::string_view::npos) return std::string_view("/");
  if (rest[end] != '/') return std::nullopt;  // "http://h?q": no path to forward without a copy
  return rest.substr(end);
}

}  // namespace gatehouse::edge
