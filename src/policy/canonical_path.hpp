#pragma once
// The one path rule of the edge (docs/edge.md "Paths"). A request-target is either
// refused as ambiguous or rewritten into one canonical form, and that form is both
// what the app is chosen by and what the origin receives: the decision and the
// origin never see different paths.
//
// Refused (400 ambiguous_path), because origins disagree on what they mean:
//   - raw control bytes, space, '#', '\', ';' or non-ASCII bytes in the path;
//   - a '%' not followed by two hex digits;
//   - encoded '/', '\', ';', '#', '?', '%' followed by two hex digits (double
//     encoding), NUL or control bytes;
//   - encoded bytes >= 0x80 that are not valid, shortest-form UTF-8 (overlong
//     "%C0%AF", surrogates, beyond U+10FFFF, truncated);
//   - code points that case-insensitive or Unicode-normalising servers read as
//     ASCII letters (U+0130, U+0131, U+017F, U+212A, fullwidth U+FF01-FF5E);
//   - a dot-segment spelled with an encoded dot ("%2e", ".%2e", "%2E%2E");
//   - a segment that ends in '.' or a space (Windows servers drop them: "/admin."
//     and "/admin%20" are "/admin" there).
// Rewritten (RFC 3986 §6.2.2 equivalences every origin agrees on):
//   - escapes of pchar bytes (unreserved, sub-delims but ';', ':' and '@') decoded
//     ("%61" -> "a", "%40" -> "@"), other escapes kept with upper-case hex
//     ("%c3%a9" -> "%C3%A9"); raw printable bytes are kept as received;
//   - "." and ".." segments removed (RFC 3986 §5.2.4; ".." at the root stays at "/");
//   - runs of "/" merged into one.
// The query is kept as received but must hold no control byte, space, '#' or
// non-ASCII byte.
#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

enum class PathProblem : std::uint8_t {
  none,
  not_origin_form,     // does not start with "/"
  control_byte,        // raw byte < 0x21 or 0x7F (incl. space)
  fragment,            // raw '#'
  backslash,           // raw '\'
  semicolon,           // raw ';' (path parameters, stripped by Tomcat/Spring)
  non_ascii,           // raw byte >= 0x80
  bad_escape,          // '%' without two hex digits
  encoded_separator,   // %2F, %5C, %3B, %23, %3F
  encoded_control,     // %00-%20, %7F
  double_encoding,     // %25 followed by two hex digits
  invalid_utf8,        // encoded bytes that are not shortest-form UTF-8
  ascii_confusable,    // dotless i, long s, Kelvin sign, fullwidth ASCII
  encoded_dot_segment, // "." or ".." spelled with %2E
  trailing_dot_or_space,
  too_long,            // over kMaxTargetBytes
};

inline constexpr std::size_t kMaxTargetBytes = 16 * 1024;

struct CanonicalTarget {
  PathProblem problem = PathProblem::none;
  std::string path;   // canonical, starts with "/"; empty when refused
  std::string query;  // "" or "?..." as received
  // True when `path` differs from the received path other than in hex-digit case:
  // forward-auth, which cannot change what the origin receives, refuses those.
  bool rewritten = false;

  bool ok() const { return problem == PathProblem::none; }
  std::string target() const { return path + query; }
};

// `target` is an origin-form request-target ("/path?query"), as received.
CanonicalTarget canonicalize_target(std::string_view target);

// A stable slug-like word for the problem, e.g. "encoded_separator".
std::string_view path_problem_name(PathProblem p);
// What is wrong, for the 400 page: "the path contains an encoded '/' (%2F)".
std::string_view path_problem_message(PathProblem p);

// Whether `path` (canonical) falls under `prefix` ("" or "/a/b", canonical, no
// trailing slash) on a segment boundary: "/a/b" and "/a/b/c" do, "/a/bc" does not.
// Case-insensitive (ASCII) unless `case_sensitive`.
bool path_has_prefix(std::string_view path, std::string_view prefix, bool case_sensitive);

}  // namespace gatehouse
