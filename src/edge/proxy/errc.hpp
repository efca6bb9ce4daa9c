#pragma once
// Errors of the edge transport are values: a fine-grained `proxy_errc` that tests
// assert exactly, each with the HTTP status it is answered with, a stable reason slug
// (passed to Gate::transport_error, then to the access log) and a message, from one table.
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string_view>
#include <type_traits>

namespace gatehouse::edge {

enum class proxy_errc {
  // The request head could not be read or is refused before decide() (RFC 9112).
  malformed_request = 1,         // not an HTTP/1.x request
  malformed_request_line,        // bad method, target or version
  bad_line_ending,               // bare CR or LF outside a CRLF pair
  invalid_header_name,           // a field name that is not a token
  invalid_header_value,          // CR, LF, NUL or another control character in a value
  obs_fold,                      // obsolete line folding (RFC 9112 §5.2)
  header_too_large,              // 431
  invalid_content_length,        // not a decimal number
  duplicate_content_length,      // more than one Content-Length, or a list
  content_length_with_transfer_encoding,  // RFC 9112 §6.1: request smuggling vector
  duplicate_transfer_encoding,   // Transfer-Encoding given more than once
  transfer_encoding_not_chunked_last,     // the body length cannot be determined
  unsupported_transfer_coding,   // 501: a coding other than chunked (we re-frame bodies)
  transfer_encoding_in_http10,   // RFC 9112 §6.1
  missing_host,                  // HTTP/1.1 without Host (RFC 9112 §3.2)
  duplicate_host,
  unsupported_target,            // authority-form, asterisk-form, absolute-form for another host
  body_too_large,                // 413: over the configured body limit
  malformed_body,                // invalid chunked framing (size, overflow, bare LF)
  // The origin failed.
  origin_unreachable,            // DNS failure, connection refused, no route
  origin_connect_timeout,        // 504
  origin_tls,                    // TLS handshake or certificate verification failed
  origin_reset,                  // closed or reset before a complete response head
  origin_timeout,                // 504: no response head within the timeout, or idle
  origin_bad_response,           // an unparsable or unexpected response head (e.g. a stray 101)
  // Internal.
  gate_failed,                   // 500: decide() threw
};

// The status a client is answered with (400, 413, 431, 501, 502, 504, 500).
int proxy_status(proxy_errc e) noexcept;
// Stable slug, e.g. "origin_timeout". Never changes once released.
std::string_view proxy_reason_slug(proxy_errc e) noexcept;
// Human message naming the problem (also error_code::message()).
std::string_view proxy_message(proxy_errc e) noexcept;

const boost::system::error_category& proxy_category() noexcept;

inline boost::system::error_code make_error_code(proxy_errc e) noexcept {
  return {static_cast<int>(e), proxy_category()};
}

}  // namespace gatehouse::edge

namespace boost::system {
template <>
struct is_error_code_enum<gatehouse::edge::proxy_errc> : std::true_type {};
}  // namespace boost::system
