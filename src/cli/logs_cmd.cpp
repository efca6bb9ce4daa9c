// `gatehouse logs`: the authentication log through the admin API, as a table or JSON
// lines; --follow polls for new rows until Ctrl-C.
#include "cli/access_client.hpp"
#include "cli/guarded.hpp"
#include "cli/log_commands.hpp"
#include "core/duration.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

#include <boost/json/serialize.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>
#include <vector>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

volatile std::sig_atomic_t interrupted = 0;
void on_interrupt(int) { interrupted = 1; }

// Rows are stored a little after the time they carry (the edge's threads are drained
// in batches): each poll looks this far back, and prints only rows stored after the
// last one printed (ids grow in insertion order).
constexpr auto kFollowOverlap = std::chrono::seconds(30);

std::string query_of(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string q;
  for (const auto& [k, v] : params) q += (q.empty() ? "?" : "&") + k + "=" + url_encode(v);
  return q;
}

std::string token_text(const json::object& r) {
  std::string t = str(r, "service_token_name");
  if (t.empty()) t = str(r, "client_id");
  const std::string v = str(r, "client_secret_version");
  if (!v.empty() && v != "0") t += " (v" + v + ")";
  else if (str(r, "credential") == "jwt") t += " (jwt)";
  return t;
}

void print_header() {
  std::printf("%-27s  %-7s  %-28s  %-28s  %-28s  %-15s  %s\n", "TIME", "OUTCOME", "REASON", "TOKEN", "APP", "IP",
              "RAY ID");
}

void print_row(const json::object& r, bool as_json) {
  if (as_json) {
    std::cout << json::serialize(r) << "\n";
    return;
  }
  const auto* allowed = r.if_contains("allowed");
  const bool ok = allowed && allowed->is_bool() && allowed->as_bool();
  std::printf("%-27s  %-7s  %-28s  %-28s  %-28s  %-15s  %s\n", str(r, "created_at").c_str(), ok ? "allowed" : "denied",
              str(r, "reason").c_str(), token_text(r).c_str(), str(r, "app_domain").c_str(),
              str(r, "ip_address").c_str(), str(r, "ray_id").c_str());
}

// The filters of the command line as API parameters.
std::vector<std::pair<std::string, std::string>> filters(AccountApi& a, const LogsOptions& o) {
  std::vector<std::pair<std::string, std::string>> p;
  if (o.token) {
    // By what the log recorded, so a deleted or renamed token's history is found too.
    if (is_uuid(*o.token)) p.emplace_back("service_token_id", *o.token);
    else if (is_client_id(*o.token)) p.emplace_back("client_id", *o.token);
    else p.emplace_back("service_token_name", *o.token);
  }
  if (o.app) {
    // The value itself (an id or the host requests named), and the app it names, if any.
    p.emplace_back("app", *o.app);
    if (!is_uuid(*o.app)) {
      try {
        p.emplace_back("app_id", resolve_app(a, *o.app));
      } catch (const std::exception&) {
        if (o.app->find('.') == std::string::npos) throw;  // not a host either
      }
    }
  }
  if (o.allowed) p.emplace_back("allowed", "true");
  if (o.denied) p.emplace_back("allowed", "false");
  if (o.reason) p.emplace_back("reason", *o.reason);
  if (o.until) p.emplace_back("until", time_argument(*o.until, "--until"));
  return p;
}

std::chrono::milliseconds follow_interval(const std::string& text) {
  auto d = parse_duration(text);
  if (!d || d->forever())
    throw std::runtime_error("--interval must be a Go duration such as 1s or 500ms, got \"" + text + "\"");
  return std::max(std::chrono::milliseconds(100), std::chrono::duration_cast<std::chrono::milliseconds>(*d->length));
}

}  // namespace

std::string time_argument(const std::string& value, const std::string& flag) {
  if (auto t = parse_rfc3339(value, flag)) return format_rfc3339(*t);
  auto d = parse_duration(value);
  if (!d || d->forever())
    throw std::runtime_error(flag + " must be an RFC 3339 time (2026-01-31T12:00:00Z) or a duration ago (1h, 30m), got \"" +
                             value + "\"");
  return format_rfc3339(SystemClock().now() - std::chrono::duration_cast<std::chrono::microseconds>(*d->length));
}

int logs_command(const ApiOptions& api, const LogsOptions& o) {
  return guarded([&] {
    const auto interval = follow_interval(o.interval);
    AccountApi a = connect_account(api);
    const std::string path = a.base + "/access/logs/access_requests";
    const auto base = filters(a, o);
    const std::optional<std::string> since = o.since ? std::optional(time_argument(*o.since, "--since")) : std::nullopt;

    // The newest `limit` rows, shown oldest first.
    auto first = base;
    if (since) first.emplace_back("since", *since);
    first.emplace_back("direction", "desc");
    first.emplace_back("per_page", std::to_string(o.limit));
    auto rows = a.client.call("GET", path + query_of(first));
    std::vector<json::object> shown;
    for (const auto& v : rows.as_array()) shown.push_back(v.as_object());
    if (!api.json && (!shown.empty() || o.follow)) print_header();
    for (auto it = shown.rbegin(); it != shown.rend(); ++it) print_row(*it, api.json);
    if (!o.follow) {
      if (shown.empty() && !api.json) std::cout << "No authentication events match.\n";
      return 0;
    }
    std::cout << std::flush;

    // --follow: poll from the newest row shown (a little earlier, see kFollowOverlap).
    std::int64_t last_id = 0;
    Time newest = since ? *parse_rfc3339(*since, "since") : SystemClock().now();
    for (const auto& r : shown) {
      if (auto t = parse_rfc3339(str(r, "created_at"), "created_at")) newest = std::max(newest, *t);
      if (const auto* id = r.if_contains("id"); id && id->is_int64()) last_id = std::max(last_id, id->as_int64());
    }
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    while (!interrupted) {
      for (auto waited = std::chrono::milliseconds(0); waited < interval && !interrupted;
           waited += std::chrono::milliseconds(50))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (interrupted) break;
      const Time from = newest - kFollowOverlap;
      const std::int64_t floor = last_id;  // rows stored before the last poll were printed then
      std::set<std::int64_t> printed;      // pages can shift while rows arrive: print each once
      for (int page = 1; !interrupted; ++page) {
        auto q = base;
        q.emplace_back("since", format_rfc3339(from));
        q.emplace_back("direction", "asc");
        q.emplace_back("per_page", "1000");
        q.emplace_back("page", std::to_string(page));
        auto batch = a.client.call("GET", path + query_of(q));
        const auto& items = batch.as_array();
        for (const auto& v : items) {
          const auto& r = v.as_object();
          const auto* id = r.if_contains("id");
          if (!id || !id->is_int64() || id->as_int64() <= floor || !printed.insert(id->as_int64()).second) continue;
          last_id = std::max(last_id, id->as_int64());
          if (auto t = parse_rfc3339(str(r, "created_at"), "created_at")) newest = std::max(newest, *t);
          print_row(r, api.json);
        }
        std::cout << std::flush;
        if (items.size() < 1000) break;
      }
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
