#include "edge/proxy/errc.hpp"

#include <array>
#include <string>

namespace gatehouse::edge {
namespace {

struct Entry {
  proxy_errc code;
  int status;
  std::string_view slug;
  std::string_view message;
};

// The one message table.
constexpr std::array kTable{
    Entry{proxy_errc::malformed_request, 400, "malformed_request", "the request is not a valid HTTP/1.1 request"},
    Entry{proxy_errc::malformed_request_line, 400, "malformed_request_line",
          "the request line has an invalid method, target or HTTP version"},
    Entry{proxy_errc::bad_line_ending, 400, "bad_line_ending", "the request has a bare CR or LF outside a CRLF line end"},
    Entry{proxy_errc::invalid_header_name, 400, "invalid_header_name", "a header name contains characters not allowed in a token"},
    Entry{proxy_errc::invalid_header_value, 400, "invalid_header_value",
          "a header value contains CR, LF, NUL or another control character"},
    Entry{proxy_errc::obs_fold, 400, "obs_fold", "a header value is continued on the next line (obsolete line folding)"},
    Entry{proxy_errc::header_too_large, 431, "header_too_large", "the request headers are larger than the limit"},
    Entry{proxy_errc::invalid_content_length, 400, "invalid_content_length", "Content-Length is not a decimal number"},
    Entry{proxy_errc::duplicate_content_length, 400, "duplicate_content_length",
          "Content-Length is given more than once or as a list"},
    Entry{proxy_errc::content_length_with_transfer_encoding, 400, "content_length_with_transfer_encoding",
          "the request has both Content-Length and Transfer-Encoding"},
    Entry{proxy_errc::duplicate_transfer_encoding, 400, "duplicate_transfer_encoding",
          "Transfer-Encoding is given more than once"},
    Entry{proxy_errc::transfer_encoding_not_chunked_last, 400, "transfer_encoding_not_chunked_last",
          "Transfer-Encoding does not end with chunked"},
    Entry{proxy_errc::unsupported_transfer_coding, 501, "unsupported_transfer_coding",
          "Transfer-Encoding has a coding other than chunked"},
    Entry{proxy_errc::transfer_encoding_in_http10, 400, "transfer_encoding_in_http10",
          "an HTTP/1.0 request must not use Transfer-Encoding"},
    Entry{proxy_errc::missing_host, 400, "missing_host", "an HTTP/1.1 request must have a Host header"},
    Entry{proxy_errc::duplicate_host, 400, "duplicate_host", "the request has more than one Host header"},
    Entry{proxy_errc::unsupported_target, 400, "unsupported_target",
          "the request target must be a path (origin-form), or an absolute URL naming the Host"},
    Entry{proxy_errc::body_too_large, 413, "body_too_large", "the request body is larger than the limit"},
    Entry{proxy_errc::malformed_body, 400, "malformed_body",
          "the request body's chunked framing is invalid (chunk size, overflow or line ending)"},
    Entry{proxy_errc::origin_unreachable, 502, "origin_unreachable", "the origin could not be reached"},
    Entry{proxy_errc::origin_connect_timeout, 504, "origin_timeout", "connecting to the origin timed out"},
    Entry{proxy_errc::origin_tls, 502, "origin_tls", "the TLS handshake with the origin failed"},
    Entry{proxy_errc::origin_reset, 502, "origin_reset", "the origin closed the connection before responding"},
    Entry{proxy_errc::origin_timeout, 504, "origin_timeout", "the origin did not respond in time"},
    Entry{proxy_errc::origin_bad_response, 502, "origin_bad_response", "the origin sent an invalid response"},
    Entry{proxy_errc::gate_failed, 500, "internal_error", "internal error while handling the request"},
};

const Entry* find(int value) noexcept {
  for (const auto& e : kTable)
    if (static_cast<int>(e.code) == value) return &e;
  return nullptr;
}

// boost::system::error_category has a protected non-virtual destructor by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class ProxyCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gatehouse.edge.proxy"; }
  std::string message(int ev) const override {
    const Entry* e = find(ev);
    return e ? std::string(e->message) : "unknown edge transport error";
  }
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& proxy_category() noexcept {
  static const ProxyCategory category;
  return category;
}

int proxy_status(proxy_errc e) noexcept {
  const Entry* entry = find(static_cast<int>(e));
  return entry ? entry->status : 500;
}

std::string_view proxy_reason_slug(proxy_errc e) noexcept {
  const Entry* entry = find(static_cast<int>(e));
  return entry ? entry->slug : std::string_view("internal_error");
}

std::string_view proxy_message(proxy_errc e) noexcept {
  const Entry* entry = find(static_cast<int>(e));
  return entry ? entry->message : std::string_view("internal error");
}

}  // namespace gatehouse::edge
