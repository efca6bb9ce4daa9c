#include "edge/responses.hpp"

#include "crypto/crypto.hpp"

#include <array>
#include <cstdio>

namespace gatehouse::edge {

namespace {

std::uint64_t next_random() {
  thread_local std::uint64_t state = [] {
    std::uint64_t seed = 0;
    OsRandom().fill({reinterpret_cast<std::uint8_t*>(&seed), sizeof seed});
    return seed | 1;
  }();
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

const char* status_text(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 431: return "Request Header Fields Too Large";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    default: return "Error";
  }
}

}  // namespace

std::string new_request_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = next_random();
  std::string id(19, '0');
  for (int i = 15; i >= 0; --i) {
    id[static_cast<std::size_t>(i)] = kHex[v & 0xF];
    v >>= 4;
  }
  id[16] = '-';
  id[17] = 'G';
  id[18] = 'H';
  return id;
}

bool wants_json(const RequestHead& head) {
  const auto accept = head.header("Accept");
  if (accept.find("application/json") != std::string_view::npos) return true;
  return accept.find("text/html") == std::string_view::npos;  // API clients rarely ask for HTML
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

http::Response denial(const RequestHead* head, int status, std::string_view reason, std::string_view message,
                      std::string_view request_id, std::string_view custom_message) {
  http::Response r;
  r.status = status;
  r.set("Cf-Ray", std::string(request_id));
  r.set("Cache-Control", "no-store");
  const std::string shown = custom_message.empty() ? std::string(message) : std::string(custom_message);
  if (head == nullptr || wants_json(*head)) {
    r.set("Content-Type", "application/json");
    r.body = "{\"success\":false,\"status\":" + std::to_string(status) + ",\"reason\":\"" + json_escape(reason) +
             "\",\"message\":\"" + json_escape(shown) + "\",\"ray_id\":\"" + json_escape(request_id) + "\"}";
  } else {
    r.set("Content-Type", "text/html; charset=utf-8");
    r.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + std::to_string(status) + " " +
             status_text(status) + "</title></head><body><h1>" + std::to_string(status) + " " +
             status_text(status) + "</h1><p>" + html_escape(shown) + "</p><p><small>Reason: " + html_escape(reason) +
             " &middot; Ray ID: " + html_escape(request_id) + "</small></p></body></html>\n";
  }
  return r;
}

http::Response login_redirect(bool tls, std::string_view host, std::string_view target, bool json,
                              std::string_view request_id) {
  http::Response r;
  r.status = 302;
  const std::string original = std::string(tls ? "https://" : "http://") + std::string(host) + std::string(target);
  r.set("Location", "/cdn-cgi/access/login/" + percent_encode(host) + "?redirect_url=" + percent_encode(original));
  r.set("Cf-Ray", std::string(request_id));
  r.set("Cache-Control", "no-store");
  if (json) {
    r.set("Content-Type", "application/json");
    r.body = "{\"success\":false,\"status\":302,\"reason\":\"login_required\",\"message\":\"this application requires "
             "signing in\",\"ray_id\":\"" + std::string(request_id) + "\"}";
  }
  return r;
}

std::string http_date(Time t) {
  using namespace std::chrono;
  // The Set-Cookie of a cached JWT names the same expiry on every request: remember
  // the last second formatted on this thread (snprintf was ~1 µs per request).
  struct Memo {
    sys_seconds second{sys_seconds::min()};
    std::string text;
  };
  thread_local Memo memo;
  const auto second = floor<seconds>(t);
  if (second == memo.second) return memo.text;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const auto secs = duration_cast<seconds>(t - day).count();
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02lld:%02lld:%02lld GMT", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  memo.second = second;
  memo.text = buf;
  return memo.text;
}

std::string authorization_cookie(std::string_view jwt, Time expires, const CookieAttributes& a) {
  std::string c = "CF_Authorization=" + std::string(jwt) + "; Path=" + a.path + "; Expires=" + http_date(expires);
  if (a.secure) c += "; Secure";
  if (a.http_only) c += "; HttpOnly";
  c += "; SameSite=" + std::string(a.same_site);
  return c;
}

std::string clear_authorization_cookie(const CookieAttributes& a) {
  std::string c = "CF_Authorization=; Path=" + a.path + "; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";
  if (a.secure) c += "; Secure";
  if (a.http_only) c += "; HttpOnly";
  c += "; SameSite=" + std::string(a.same_site);
  return c;
}

}  // namespace gatehouse::edge
