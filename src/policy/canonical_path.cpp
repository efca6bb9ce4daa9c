#include "policy/canonical_path.hpp"

namespace gatehouse {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// RFC 3986 pchar minus ';' (refused) and '%' (always an escape): the bytes whose
// escapes the canonical form decodes. Escapes of other bytes stay escapes; raw
// printable bytes outside pchar ('|', '[', '"', ...) stay raw. App prefixes hold only
// pchar (service/access_validation.cpp), so a prefix has one spelling.
bool is_literal(unsigned char c) {
  if (is_unreserved(c)) return true;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case '=':
    case ':': case '@':
      return true;
    default:
      return false;
  }
}

// Code points whose simple case mapping or compatibility form is ASCII: a
// case-insensitive origin (.NET OrdinalIgnoreCase, Unicode-folding routers) reads
// "/admın" (U+0131) or "/ａdmin" (fullwidth) as "/admin".
bool folds_to_ascii(std::uint32_t cp) {
  return cp == 0x130 || cp == 0x131 || cp == 0x17F || cp == 0x212A || (cp >= 0xFF01 && cp <= 0xFF5E);
}

// Shortest-form UTF-8 (RFC 3629), fed one decoded byte >= 0x80 or ASCII at a time.
class Utf8Check {
 public:
  // False when `b` cannot continue or start a valid sequence here.
  bool feed(unsigned char b) {
    if (need_ == 0) {
      if (b < 0x80) return true;
      if (b >= 0xC2 && b <= 0xDF) return start(1, b & 0x1F, 0x80, 0xBF);
      if (b == 0xE0) return start(2, b & 0x0F, 0xA0, 0xBF);
      if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return start(2, b & 0x0F, 0x80, 0xBF);
      if (b == 0xED) return start(2, b & 0x0F, 0x80, 0x9F);  // no surrogates
      if (b == 0xF0) return start(3, b & 0x07, 0x90, 0xBF);
      if (b >= 0xF1 && b <= 0xF3) return start(3, b & 0x07, 0x80, 0xBF);
      if (b == 0xF4) return start(3, b & 0x07, 0x80, 0x8F);  // <= U+10FFFF
      return false;  // 0x80-0xC1 (continuation or overlong lead), 0xF5-0xFF
    }
    if (b < lo_ || b > hi_) return false;
    lo_ = 0x80;
    hi_ = 0xBF;
    cp_ = (cp_ << 6) | (b & 0x3F);
    if (--need_ == 0) completed_ = cp_;
    return true;
  }
  bool complete() const { return need_ == 0; }
  // The code point finished by the last feed(), else 0.
  std::uint32_t take_completed() {
    const auto c = completed_;
    completed_ = 0;
    return c;
  }

 private:
  bool start(int need, std::uint32_t bits, unsigned char lo, unsigned char hi) {
    need_ = need;
    cp_ = bits;
    lo_ = lo;
    hi_ = hi;
    return true;
  }
  int need_ = 0;
  std::uint32_t cp_ = 0;
  std::uint32_t completed_ = 0;
  unsigned char lo_ = 0x80;
  unsigned char hi_ = 0xBF;
};

// The character at raw[j] as an origin that decodes once reads it (-1 past the end),
// and how many bytes spell it.
std::pair<int, std::size_t> decoded_at(std::string_view raw, std::size_t j) {
  if (j >= raw.size()) return {-1, 0};
  if (raw[j] == '%' && j + 2 < raw.size() && hex_value(raw[j + 1]) >= 0 && hex_value(raw[j + 2]) >= 0)
    return {hex_value(raw[j + 1]) * 16 + hex_value(raw[j + 2]), 3};
  return {static_cast<unsigned char>(raw[j]), 1};
}

bool is_hex_char(int c) { return c >= 0 && c < 128 && hex_value(static_cast<char>(c)) >= 0; }

PathProblem raw_byte_problem(unsigned char c) {
  if (c < 0x21 || c == 0x7F) return PathProblem::control_byte;
  if (c >= 0x80) return PathProblem::non_ascii;
  if (c == '#') return PathProblem::fragment;
  if (c == '\\') return PathProblem::backslash;
  if (c == ';') return PathProblem::semicolon;
  return PathProblem::none;
}

void append_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xF]);
}

// Appends the canonical spelling of one raw segment (no '/') to `out`; returns the
// problem, if any. `dots` counts a segment made only of dots, `encoded_dot` whether
// any of them was escaped, `last` is the final decoded byte (0 for an empty segment).
struct SegmentInfo {
  std::size_t decoded = 0;
  bool only_dots = true;
  bool encoded_dot = false;
  unsigned char last = 0;
};

PathProblem append_segment(std::string& out, std::string_view raw, SegmentInfo& info) {
  Utf8Check utf8;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    unsigned char d = static_cast<unsigned char>(raw[i]);
    bool encoded = false;
    if (d == '%') {
      if (i + 2 >= raw.size() || hex_value(raw[i + 1]) < 0 || hex_value(raw[i + 2]) < 0)
        return PathProblem::bad_escape;
      d = static_cast<unsigned char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
      i += 2;
      encoded = true;
      if (d == '/' || d == '\\' || d == ';' || d == '#' || d == '?') return PathProblem::encoded_separator;
      if (d < 0x20 || d == 0x7F) return PathProblem::encoded_control;
      // "%2561" is "%61" to an origin that decodes twice, and "a" after that; so is
      // "%25%36%31", whose digits are escaped too (the canonical form decodes them).
      if (d == '%') {
        const auto [first, len] = decoded_at(raw, i + 1);
        if (is_hex_char(first) && is_hex_char(decoded_at(raw, i + 1 + len).first)) return PathProblem::double_encoding;
      }
    } else if (const auto p = raw_byte_problem(d); p != PathProblem::none) {
      return p;
    }
    if (!utf8.feed(d)) return PathProblem::invalid_utf8;
    if (folds_to_ascii(utf8.take_completed())) return PathProblem::ascii_confusable;
    // Raw bytes stay as sent; escapes of literal bytes are decoded, others kept.
    if (!encoded || is_literal(d)) out.push_back(static_cast<char>(d));
    else append_escape(out, d);
    ++info.decoded;
    if (d != '.') info.only_dots = false;
    else if (encoded) info.encoded_dot = true;
    info.last = d;
  }
  if (!utf8.complete()) return PathProblem::invalid_utf8;
  return PathProblem::none;
}

// The received path with its escapes' hex digits in upper case: what `rewritten`
// compares the canonical path with.
bool same_but_hex_case(std::string_view canonical, std::string_view raw) {
  if (canonical.size() != raw.size()) return false;
  std::size_t hex_left = 0;  // digits of an escape still to compare without case
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char r = raw[i];
    if (hex_left > 0) {
      --hex_left;
      if (r >= 'a' && r <= 'f') r = static_cast<char>(r - 'a' + 'A');
    } else if (r == '%') {
      hex_left = 2;
    }
    if (canonical[i] != r) return false;
  }
  return true;
}

}  // namespace

CanonicalTarget canonicalize_target(std::string_view target) {
  CanonicalTarget result;
  auto refuse = [&](PathProblem p) {
    result.problem = p;
    result.path.clear();
    result.query.clear();
    result.rewritten = false;
    return result;
  };
  if (target.size() > kMaxTargetBytes) return refuse(PathProblem::too_long);
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q);
  for (const char c : query) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7F) return refuse(PathProblem::control_byte);
    if (u >= 0x80) return refuse(PathProblem::non_ascii);
    if (c == '#') return refuse(PathProblem::fragment);
  }
  if (path.empty() || path.front() != '/') return refuse(PathProblem::not_origin_form);

  std::string& out = result.path;  // "/seg/seg" without the trailing slash
  out.reserve(path.size());
  bool trailing_slash = false;
  std::string_view rest = path.substr(1);
  while (true) {
    const auto slash = rest.find('/');
    const bool last = slash == std::string_view::npos;
    const std::string_view raw = rest.substr(0, slash);
    const std::size_t mark = out.size();
    out.push_back('/');
    SegmentInfo info;
    if (const auto p = append_segment(out, raw, info); p != PathProblem::none) return refuse(p);
    const bool dot_segment = info.decoded > 0 && info.decoded <= 2 && info.only_dots;
    if (info.decoded == 0) {
      out.resize(mark);  // "//" merged; a final empty segment is the trailing slash
      trailing_slash = last;
    } else if (dot_segment) {
      // "%2e%2e" is a dot-segment only to origins that decode before resolving:
      // no client spells it so, only an attacker probing which origins do.
      if (info.encoded_dot) return refuse(PathProblem::encoded_dot_segment);
      out.resize(mark);
      if (info.decoded == 2) out.resize(out.rfind('/') == std::string::npos ? 0 : out.rfind('/'));
      trailing_slash = last;
    } else if (info.last == '.' || info.last == ' ') {
      return refuse(PathProblem::trailing_dot_or_space);
    } else {
      trailing_slash = false;
    }
    if (last) break;
    rest = rest.substr(slash + 1);
  }
  if (out.empty() || trailing_slash) out.push_back('/');
  result.query = std::string(query);
  result.rewritten = !same_but_hex_case(out, path);
  return result;
}

std::string_view path_problem_name(PathProblem p) {
  switch (p) {
    case PathProblem::none: return "none";
    case PathProblem::not_origin_form: return "not_origin_form";
    case PathProblem::control_byte: return "control_byte";
    case PathProblem::fragment: return "fragment";
    case PathProblem::backslash: return "backslash";
    case PathProblem::semicolon: return "semicolon";
    case PathProblem::non_ascii: return "non_ascii";
    case PathProblem::bad_escape: return "bad_escape";
    case PathProblem::encoded_separator: return "encoded_separator";
    case PathProblem::encoded_control: return "encoded_control";
    case PathProblem::double_encoding: return "double_encoding";
    case PathProblem::invalid_utf8: return "invalid_utf8";
    case PathProblem::ascii_confusable: return "ascii_confusable";
    case PathProblem::encoded_dot_segment: return "encoded_dot_segment";
    case PathProblem::trailing_dot_or_space: return "trailing_dot_or_space";
    case PathProblem::too_long: return "too_long";
  }
  return "unknown";
}

std::string_view path_problem_message(PathProblem p) {
  switch (p) {
    case PathProblem::none: return "the path is acceptable";
    case PathProblem::not_origin_form: return "the request-target must be a path starting with '/'";
    case PathProblem::control_byte: return "the request-target contains a control byte or a space";
    case PathProblem::fragment: return "the request-target contains '#' (a fragment is never sent to a server)";
    case PathProblem::backslash: return "the path contains '\\', which some servers read as '/'";
    case PathProblem::semicolon: return "the path contains ';' (path parameters, which some servers strip)";
    case PathProblem::non_ascii: return "the request-target contains a byte that is not ASCII; percent-encode it";
    case PathProblem::bad_escape: return "the path contains a '%' not followed by two hex digits";
    case PathProblem::encoded_separator: return "the path contains an encoded '/', '\\', ';', '#' or '?'";
    case PathProblem::encoded_control: return "the path contains an encoded control byte or NUL";
    case PathProblem::double_encoding: return "the path contains a double percent-encoding (%25 followed by hex)";
    case PathProblem::invalid_utf8: return "the path's percent-encoded bytes are not valid shortest-form UTF-8";
    case PathProblem::ascii_confusable:
      return "the path contains a character that some servers read as an ASCII letter (dotless i, long s, Kelvin "
             "sign, fullwidth form)";
    case PathProblem::encoded_dot_segment: return "the path contains a '.' or '..' segment spelled with %2E";
    case PathProblem::trailing_dot_or_space:
      return "a path segment ends in '.' or a space, which some servers drop";
    case PathProblem::too_long: return "the request-target is longer than 16 KiB";
  }
  return "the path is ambiguous";
}

bool path_has_prefix(std::string_view path, std::string_view prefix, bool case_sensitive) {
  if (prefix.empty()) return true;
  if (path.size() < prefix.size()) return false;
  if (path.size() > prefix.size() && path[prefix.size()] != '/') return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = path[i];
    char b = prefix[i];
    if (!case_sensitive) {
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    }
    if (a != b) return false;
  }
  return true;
}

}  // namespace gatehouse
