// `gatehouse status`: what the data dir holds and whether a server is running on it.
#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "cli/guarded.hpp"
#include "service/json_views.hpp"
#include "store/sqlite_access_log.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <signal.h>

#include <cstdio>
#include <iostream>

namespace gatehouse::cli {

int status(const std::string& data_dir, bool json) {
  return guarded([&] {
    auto store = open_existing(data_dir);
    auto accounts = store->list_accounts();
    if (!accounts) throw std::runtime_error(accounts.error().message);
    boost::json::object o;
    o["data_dir"] = data_dir;
    o["schema_version"] = store->schema_version();
    o["account_id"] = accounts->empty() ? boost::json::value(nullptr) : boost::json::value(accounts->front().id);
    std::int64_t service_tokens = 0, api_tokens = 0;
    const Time now = SystemClock().now();
    for (const auto& a : *accounts) {
      if (auto n = store->count_service_tokens(a.id)) service_tokens += *n;
      if (auto t = store->list_api_tokens(a.id))
        for (const auto& tok : *t) api_tokens += tok.usable_at(now) ? 1 : 0;
    }
    // Totals kept by the access log across restarts (docs/logs.md).
    const auto log_counters = read_access_log_counters(*store);
    if (!log_counters) throw std::runtime_error(log_counters.error().message);
    o["access_log_written"] = log_counters->written;
    o["unknown_client_ids"] = log_counters->unknown_client_ids;
    o["access_log_dropped"] = log_counters->dropped;
    o["accounts"] = static_cast<std::int64_t>(accounts->size());
    o["service_tokens"] = service_tokens;
    o["active_api_tokens"] = api_tokens;
    // serve.json is written by a running server and removed on a clean stop.
    bool running = false;
    boost::json::object runtime;
    if (FILE* f = std::fopen(runtime_path(data_dir).c_str(), "r")) {
      std::string text;
      char buf[4096];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
      std::fclose(f);
      boost::system::error_code ec;
      auto v = boost::json::parse(text, ec);
      if (!ec && v.is_object()) {
        runtime = v.as_object();
        const auto* pid = runtime.if_contains("pid");
        running = pid && pid->is_int64() && ::kill(static_cast<pid_t>(pid->as_int64()), 0) == 0;
      }
    }
    o["running"] = running;
    o["admin_listen"] = running ? runtime["admin_listen"] : boost::json::value(nullptr);
    o["edge_listen"] = running ? runtime["edge_listen"] : boost::json::value(nullptr);
    o["pid"] = running ? runtime["pid"] : boost::json::value(nullptr);
    if (json) {
      std::cout << serialize(o) << "\n";
      return 0;
    }
    std::cout << "data dir        " << data_dir << " (schema v" << store->schema_version() << ")\n"
              << "account         " << (accounts->empty() ? "(none)" : accounts->front().id) << "\n"
              << "server          "
              << (running ? "running (pid " + std::to_string(o["pid"].as_int64()) + ")" : std::string("not running"))
              << "\n";
    if (running)
      std::cout << "admin listener  " << runtime["admin_listen"].as_string().c_str() << "\n"
                << "edge listener   " << runtime["edge_listen"].as_string().c_str() << "\n";
    std::cout << "service tokens  " << service_tokens << "\n"
              << "API tokens      " << api_tokens << " active\n"
              << "access log      " << log_counters->written << " decisions logged, " << log_counters->dropped
              << " dropped\n"
              << "unknown ids     " << log_counters->unknown_client_ids
              << " attempts with a client id no token has (counted, not logged)\n";
    return 0;
  });
}

}  // namespace gatehouse::cli
