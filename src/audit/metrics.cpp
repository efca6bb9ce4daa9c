#include "audit/metrics.hpp"

namespace gatehouse::audit {

namespace {

// Label values: backslash, double quote and newline escaped (text format 0.0.4).
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void counter(std::string& out, const char* name, const char* help, std::uint64_t value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " counter\n";
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

std::string prometheus_text(const AccessLogStats& s) {
  std::string out;
  out += "# HELP gatehouse_access_requests_total Authentication decisions logged, by app id and outcome.\n"
         "# TYPE gatehouse_access_requests_total counter\n";
  for (const auto& [key, n] : s.by_app)
    out += "gatehouse_access_requests_total{app=\"" + label(key.first) + "\",outcome=\"" +
           (key.second ? "allowed" : "denied") + "\"} " + std::to_string(n) + "\n";
  counter(out, "gatehouse_access_unknown_client_id_total",
          "Attempts with a client id that no service token has (counted, not logged).", s.unknown_client_ids);
  counter(out, "gatehouse_access_log_written_total", "Authentication-log rows stored (coalesced allowed decisions are one row).", s.written);
  counter(out, "gatehouse_access_log_dropped_total",
          "Authentication-log records lost because a buffer was full or the store failed too long.", s.dropped);
  counter(out, "gatehouse_access_log_write_errors_total", "Failed authentication-log batches (retried).",
          s.write_errors);
  return out;
}

}  // namespace gatehouse::audit
