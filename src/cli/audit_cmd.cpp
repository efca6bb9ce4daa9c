// `gatehouse audit`: the audit log of admin changes through the admin API.
#include "cli/access_client.hpp"
#include "cli/guarded.hpp"
#include "cli/log_commands.hpp"
#include "core/ids.hpp"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

std::string field(const json::object& o, std::string_view object, std::string_view key) {
  const auto* v = o.if_contains(object);
  return v && v->is_object() ? str(v->as_object(), key) : std::string();
}

}  // namespace

int audit_command(const ApiOptions& api, const AuditOptions& o) {
  return guarded([&] {
    AccountApi a = connect_account(api);
    std::string q = "?per_page=" + std::to_string(o.limit);
    auto add = [&](const char* key, const std::string& value) { q += std::string("&") + key + "=" + url_encode(value); };
    if (o.action) add("action", *o.action);
    if (o.resource) add(is_uuid(*o.resource) ? "resource_id" : "resource_name", *o.resource);
    if (o.resource_type) add("resource_type", *o.resource_type);
    if (o.actor) add("actor", *o.actor);
    if (o.since) add("since", time_argument(*o.since, "--since"));
    if (o.until) add("until", time_argument(*o.until, "--until"));
    json::value info;
    auto events = a.client.call("GET", a.base + "/audit_logs" + q, std::nullopt, &info);
    const auto& items = events.as_array();
    if (api.json) {
      for (const auto& e : items) std::cout << json::serialize(e) << "\n";
      return 0;
    }
    if (items.empty()) {
      std::cout << "No audit events match.\n";
      return 0;
    }
    std::printf("%-27s  %-28s  %-30s  %-24s  %s\n", "TIME", "ACTION", "RESOURCE", "ACTOR", "VIA");
    for (const auto& v : items) {
      const auto& e = v.as_object();
      std::string resource = field(e, "resource", "name");
      if (resource.empty()) resource = field(e, "resource", "id");
      std::string actor = field(e, "actor", "name");
      if (actor.size() > 60) actor = actor.substr(0, 57) + "...";
      std::printf("%-27s  %-28s  %-30s  %-24s  %s\n", str(e, "when").c_str(), field(e, "action", "type").c_str(),
                  resource.c_str(), actor.c_str(), str(e, "interface").c_str());
    }
    if (info.is_object()) {
      const auto total = str(info.as_object(), "total_count");
      if (!total.empty() && total != std::to_string(items.size()))
        std::cout << "(" << items.size() << " of " << total << "; narrow with --since, --action or --resource)\n";
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
