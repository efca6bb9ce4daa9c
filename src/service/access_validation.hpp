#pragma once
// Validation of the values Access apps, policies and organizations carry. Each
// function names `field` in its 400 and returns the normalised value.
//
// App domains (also destinations) are "host[/path]":
// - host: lowercased; DNS labels of [a-z0-9-] (1-63 characters, no leading or
//   trailing '-', no empty label, at most 253 characters), optionally led by "*."
//   (a wildcard only as the whole leftmost label). IPv4 literals pass as labels.
// - no scheme, no port (the edge matches the Host header without its port), no
//   user info, query or fragment, no spaces or non-ASCII (use punycode).
// - path: optional prefix matched on segment boundaries; RFC 3986 path characters,
//   no "*", no empty, "." or ".." segments; trailing slashes are dropped.
#include "core/duration.hpp"
#include "core/error.hpp"

#include <string>
#include <string_view>

namespace gatehouse {

inline constexpr std::size_t kMaxDomainChars = 2048;

Result<std::string> validate_app_domain(std::string_view text, std::string_view field);
// A host name for auth_domain and email_domain rules: the host rules above, no
// wildcard, no path.
Result<std::string> validate_dns_name(std::string_view text, std::string_view field);
// An HTTP field name (RFC 9110 token), 1-128 characters.
Result<std::string> validate_header_name(std::string_view text, std::string_view field);
// "10.0.0.0/8", "2001:db8::/32" or a single address (inet_pton + prefix range).
Result<std::string> validate_cidr(std::string_view text, std::string_view field);
// local@domain: one '@', a non-empty local part without spaces, a valid domain.
Result<std::string> validate_email(std::string_view text, std::string_view field);
// Printable text of at most `max_chars` code points; tabs and newlines allowed.
Result<std::string> validate_text(std::string_view text, std::string_view field, std::size_t max_chars);
// Session lengths: a Go duration, not forever, at most 8760h (one year).
Result<Duration> validate_session_duration(const Duration& d, std::string_view field);
// The origin URL (compat.md §3), as the edge parses it (edge::parse_upstream).
Result<std::string> validate_origin(std::string_view text, std::string_view field);

}  // namespace gatehouse
