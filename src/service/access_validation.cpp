#include "service/access_validation.hpp"

#include "edge/gate.hpp"
#include "policy/canonical_path.hpp"
#include "policy/ip.hpp"

namespace gatehouse {

namespace {

constexpr std::size_t kMaxHostChars = 253;
constexpr std::size_t kMaxLabelChars = 63;
constexpr std::size_t kMaxHeaderNameChars = 128;
constexpr std::size_t kMaxEmailChars = 254;
constexpr std::chrono::hours kMaxSession{8760};

Error invalid(std::string_view slug, std::string_view field, std::string_view text, const std::string& why) {
  return bad_request(std::string(slug), std::string(field) + " \"" + std::string(text.substr(0, 128)) + "\" " + why);
}

bool is_label_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Checks the shared character rules; "" when fine, else why not.
std::string check_chars(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return "must not contain spaces or control characters";
    if (u >= 0x80) return "must be ASCII (write internationalised names in punycode, xn--…)";
  }
  return {};
}

// `host` already lowercased. "" when valid, else why not.
std::string check_host(std::string_view host, bool allow_wildcard) {
  if (host.empty()) return "has no host name";
  if (host.substr(0, 2) == "*.") {
    if (!allow_wildcard) return "must not be a wildcard";
    host.remove_prefix(2);
    if (host.empty()) return "has nothing after the wildcard \"*.\"";
  }
  if (host.find('*') != std::string_view::npos)
    return "may use a wildcard only as the whole leftmost label (\"*.example.com\")";
  if (host.find(':') != std::string_view::npos)
    return "must not include a port: applications match on the host name alone";
  if (host.size() > kMaxHostChars) return "is longer than 253 characters";
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    const auto label = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "has an empty label (a leading, trailing or doubled dot)";
    if (label.size() > kMaxLabelChars) return "has a label longer than 63 characters";
    for (char c : label)
      if (!is_label_char(c))
        return std::string("has an invalid character '") + c + "' (host names use letters, digits, '-' and '.')";
    if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with '-'";
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return {};
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986 pchar minus what a prefix match cannot honour. "" when valid.
std::string check_path(std::string_view path) {
  static constexpr std::string_view kAllowed = "-._~!$&'()+,;=:@/";
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '?' || c == '#') return "must not contain a query or fragment";
    if (c == '*') return "must not contain '*': wildcards in paths are not supported";
    if (c == '%') {
      if (i + 2 >= path.size()) return "has an incomplete percent-escape";
      if (!is_hex(path[i + 1]) || !is_hex(path[i + 2])) return "has an invalid percent-escape";
      i += 2;
      continue;
    }
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kAllowed.find(c) == std::string_view::npos)
      return std::string("has a character '") + c + "' that is not allowed in a path";
  }
  std::size_t start = 1;  // path[0] == '/'
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const auto segment = path.substr(start, end - start);
    const bool last = end == path.size();
    if (segment.empty() && !last) return "has an empty path segment (\"//\")";
    if (segment == "." || segment == "..") return "must not contain \".\" or \"..\" path segments";
    start = end + 1;
  }
  return {};
}

}  // namespace

Result<std::string> validate_app_domain(std::string_view text, std::string_view field) {
  if (text.empty()) return bad_request("invalid_domain", std::string(field) + " must not be empty");
  if (text.size() > kMaxDomainChars)
    return bad_request("invalid_domain", std::string(field) + " is longer than 2048 characters");
  if (auto why = check_chars(text); !why.empty()) return invalid("invalid_domain", field, text, why);
  if (text.find("://") != std::string_view::npos)
    return invalid("invalid_domain", field, text,
                   "must not include a scheme: write the host and optional path, e.g. \"app.example.com/admin\"");
  const auto slash = text.find('/');
  std::string host;
  for (char c : text.substr(0, slash)) host.push_back(lower(c));
  if (host.find('@') != std::string::npos) return invalid("invalid_domain", field, text, "must not contain user info ('@')");
  if (host.find_first_of("?#\\") != std::string::npos)
    return invalid("invalid_domain", field, text, "must not contain '?', '#' or '\\' in the host");
  if (auto why = check_host(host, true); !why.empty()) return invalid("invalid_domain", field, text, why);
  if (slash == std::string_view::npos) return host;
  std::string_view path = text.substr(slash);
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return host;
  if (auto why = check_path(path); !why.empty()) return invalid("invalid_domain", field, text, why);
  // The edge matches requests by their canonical path (docs/edge.md "Paths"): a
  // prefix in any other spelling would never match, or match what it should not.
  const auto canonical = canonicalize_target(path);
  if (!canonical.ok())
    return invalid("invalid_domain", field, text, std::string(path_problem_message(canonical.problem)));
  if (canonical.rewritten)
    return invalid("invalid_domain", field, text,
                   "has a path that is not in canonical form: write it as \"" + host + canonical.path + "\"");
  return host + std::string(path);
}

Result<std::string> validate_dns_name(std::string_view text, std::string_view field) {
  if (text.empty()) return bad_request("invalid_domain", std::string(field) + " must not be empty");
  if (auto why = check_chars(text); !why.empty()) return invalid("invalid_domain", field, text, why);
  if (text.find("://") != std::string_view::npos)
    return invalid("invalid_domain", field, text, "must be a host name without a scheme");
  std::string host;
  for (char c : text) host.push_back(lower(c));
  if (host.find('/') != std::string::npos) return invalid("invalid_domain", field, text, "must not contain a path");
  if (auto why = check_host(host, false); !why.empty()) return invalid("invalid_domain", field, text, why);
  return host;
}

Result<std::string> validate_header_name(std::string_view text, std::string_view field) {
  static constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  if (text.empty()) return bad_request("invalid_header_name", std::string(field) + " must not be empty");
  if (text.size() > kMaxHeaderNameChars)
    return bad_request("invalid_header_name", std::string(field) + " is longer than 128 characters");
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kTokenSymbols.find(c) == std::string_view::npos)
      return invalid("invalid_header_name", field, text,
                     "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
  }
  return std::string(text);
}

Result<std::string> validate_cidr(std::string_view text, std::string_view field) {
  if (!parse_cidr(text))
    return invalid("invalid_ip", field, text,
                   "is not an IP address or CIDR range (e.g. \"10.0.0.0/8\", \"2001:db8::/32\", \"192.0.2.7\"); "
                   "the prefix length must be 0-32 for IPv4 and 0-128 for IPv6");
  return std::string(text);
}

Result<std::string> validate_email(std::string_view text, std::string_view field) {
  if (text.size() > kMaxEmailChars) return bad_request("invalid_email", std::string(field) + " is longer than 254 characters");
  const auto at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || text.find('@') != at)
    return invalid("invalid_email", field, text, "is not an email address (local@domain)");
  if (auto why = check_chars(text.substr(0, at)); !why.empty()) return invalid("invalid_email", field, text, why);
  auto domain = validate_dns_name(text.substr(at + 1), field);
  if (!domain) return invalid("invalid_email", field, text, "has an invalid domain part");
  return std::string(text.substr(0, at + 1)) + *domain;
}

Result<std::string> validate_text(std::string_view text, std::string_view field, std::size_t max_chars) {
  std::size_t chars = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++chars;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
      return bad_request("invalid_text", std::string(field) + " must not contain control characters");
  }
  if (chars > max_chars)
    return bad_request("invalid_text", std::string(field) + " is " + std::to_string(chars) +
                                           " characters long; the maximum is " + std::to_string(max_chars));
  return std::string(text);
}

Result<Duration> validate_session_duration(const Duration& d, std::string_view field) {
  if (d.forever())
    return bad_request("invalid_duration", std::string(field) + " must be a Go duration such as \"24h\"; "
                                                                "sessions cannot last forever");
  if (*d.length > kMaxSession)
    return bad_request("invalid_duration", std::string(field) + " \"" + d.text + "\" is longer than 8760h (one year)");
  return d;
}

Result<std::string> validate_origin(std::string_view text, std::string_view field) {
  std::string why;
  if (!edge::parse_upstream(text, OriginTimeouts{}, &why))
    return bad_request("invalid_origin", std::string(field) + ": " + why +
                                             " (expected e.g. \"http://127.0.0.1:3000\" or \"https://app.internal/base\")");
  return std::string(text);
}

}  // namespace gatehouse
