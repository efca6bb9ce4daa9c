// The edge's one path rule (policy/canonical_path.hpp) on attacker request-targets:
// what the app matcher decides on and what the origin receives.
//
// Properties of an accepted target:
// - idempotent: canonicalising the canonical target accepts it, changes nothing and
//   does not count as rewritten; the query is kept as received;
// - the path starts with '/', has no "//" and no "." or ".." segment, and holds only
//   printable ASCII other than '#', '\' and ';', with '%' only in upper-case escapes,
//   none of which is %2F, %5C, %2E or an unreserved byte (those are decoded);
// - not rewritten means the same bytes as received, up to the case of hex digits;
// - path_has_prefix agrees with a plain reading for the prefixes "/admin" and
//   "/api/v1": the path (lower-cased unless case-sensitive) is the prefix or starts
//   with the prefix and '/'.
// A refusal names a problem, with a message, and carries no path.
#include "fuzz_check.hpp"
#include "policy/canonical_path.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace gatehouse;

namespace {

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }
int hex(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }
bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool under(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

void check_path_bytes(std::string_view p) {
  FUZZ_CHECK(!p.empty() && p.front() == '/', "a canonical path starts with '/'");
  FUZZ_CHECK(p.find("//") == std::string_view::npos, "no empty segment");
  const std::string ended = std::string(p) + "/";
  FUZZ_CHECK(ended.find("/./") == std::string::npos && ended.find("/../") == std::string::npos,
             "no dot-segment");
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    FUZZ_CHECK(c > 0x20 && c < 0x7F && c != '#' && c != '\\' && c != ';' && c != '?', "only allowed raw bytes");
    if (c != '%') continue;
    FUZZ_CHECK(i + 2 < p.size() && is_upper_hex(p[i + 1]) && is_upper_hex(p[i + 2]), "escapes are %XX, upper case");
    const auto d = static_cast<unsigned char>(hex(p[i + 1]) * 16 + hex(p[i + 2]));
    FUZZ_CHECK(d != '/' && d != '\\' && d != '.', "no %2F, %5C or %2E");
    FUZZ_CHECK(!is_unreserved(d), "escaped unreserved bytes are decoded");
    i += 2;
  }
}

void check_prefixes(std::string_view path) {
  for (std::string_view prefix : {std::string_view("/admin"), std::string_view("/api/v1")}) {
    FUZZ_CHECK(path_has_prefix(path, prefix, false) == under(lowered(path), prefix),
               "a case-insensitive prefix matches on segment boundaries, whatever the case");
    FUZZ_CHECK(path_has_prefix(path, prefix, true) == under(path, prefix),
               "a case-sensitive prefix matches on segment boundaries");
  }
  FUZZ_CHECK(path_has_prefix(path, "", false) && path_has_prefix(path, "", true), "the empty prefix holds everything");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const CanonicalTarget c = canonicalize_target(target);
  if (!c.ok()) {
    FUZZ_CHECK(c.path.empty() && c.query.empty() && !c.rewritten, "a refusal carries no path");
    FUZZ_CHECK(path_problem_name(c.problem) != "none" && !path_problem_message(c.problem).empty(),
               "a refusal names its problem");
    return 0;
  }
  const auto q = target.find('?');
  FUZZ_CHECK(c.query == (q == std::string_view::npos ? std::string_view() : target.substr(q)),
             "the query is kept as received");
  check_path_bytes(c.path);
  if (!c.rewritten) {
    const std::string_view received = target.substr(0, q);
    FUZZ_CHECK(received.size() == c.path.size(), "not rewritten: same length as received");
    for (std::size_t i = 0; i < received.size(); ++i) {
      const bool same = received[i] == c.path[i] || (i > 0 && (received[i - 1] == '%' || (i > 1 && received[i - 2] == '%')) &&
                                                     lower(received[i]) == lower(c.path[i]));
      FUZZ_CHECK(same, "not rewritten: the received bytes up to hex case");
    }
  }
  const CanonicalTarget again = canonicalize_target(c.target());
  FUZZ_CHECK(again.ok(), "a canonical target is accepted");
  FUZZ_CHECK(again.path == c.path && again.query == c.query, "canonicalisation is idempotent");
  FUZZ_CHECK(!again.rewritten, "a canonical target is not rewritten again");
  check_prefixes(c.path);
  return 0;
}
