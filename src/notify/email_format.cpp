#include "notify/email_format.hpp"

#include <chrono>
#include <cstdio>

namespace gatehouse::notify {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// Header values come from validated data, but a stray CR or LF would start a new
// header: never let one through.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return out;
}

// One encoded line of quoted-printable: every byte that is not safe as is becomes =XX.
void qp_line(std::string_view line, std::string& out) {
  std::size_t width = 0;
  auto emit = [&](std::string_view piece) {
    if (width + piece.size() > 75) {  // 75 + the "=" of the soft break = 76
      out += "=\r\n";
      width = 0;
    }
    out += piece;
    width += piece.size();
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    // Encoded: non-ASCII, controls, '=', trailing white space (RFC 2045 rule 3), and a
    // leading '.' (so no SMTP server ever sees a lone "." line, whatever it does).
    const bool encode = c > 0x7E || (c < 0x20 && c != '\t') || c == '=' || (last && (c == ' ' || c == '\t')) ||
                        (width == 0 && c == '.');
    if (encode) {
      const char enc[3] = {'=', kHex[c >> 4], kHex[c & 0xF]};
      emit(std::string_view(enc, 3));
    } else {
      const char plain = static_cast<char>(c);
      emit(std::string_view(&plain, 1));
    }
  }
}

}  // namespace

std::string address_of(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return std::string(mailbox.substr(open + 1, close - open - 1));
  while (!mailbox.empty() && mailbox.front() == ' ') mailbox.remove_prefix(1);
  while (!mailbox.empty() && mailbox.back() == ' ') mailbox.remove_suffix(1);
  return std::string(mailbox);
}

std::string rfc5322_date(Time t) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const weekday wd(day);
  const hh_mm_ss hms(floor<seconds>(t - day));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    qp_line(line, out);
    if (end == text.size()) break;
    out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string encode_header_text(std::string_view text) {
  if (printable_ascii(text)) return std::string(text);
  // Encoded words of at most 75 characters: "=?UTF-8?B?" + base64 of <= 45 bytes + "?=".
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);
    // Back off to a UTF-8 boundary (a continuation byte is 10xxxxxx).
    while (n > 0 && i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) --n;
    if (n == 0) n = std::min<std::size_t>(45, text.size() - i);  // malformed input: cut anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

std::string format_email(const EmailMessage& m, std::string_view from) {
  const std::string from_addr = address_of(from);
  const auto at = from_addr.rfind('@');
  const std::string domain = at == std::string::npos ? "gatehouse.invalid" : from_addr.substr(at + 1);
  std::string out;
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "From: " + one_line(from) + "\r\n";
  out += "To: " + one_line(m.to) + "\r\n";
  out += "Subject: " + encode_header_text(one_line(m.subject)) + "\r\n";
  out += "Message-ID: <" + one_line(m.message_id) + "@" + one_line(domain) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no auto-replies to this
  out += "\r\n";
  out += quoted_printable(m.body);
  out += "\r\n";
  return out;
}

}  // namespace gatehouse::notify
