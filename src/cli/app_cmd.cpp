// `gatehouse app …`: Access applications through the admin API.
#include "cli/access_client.hpp"
#include "cli/access_commands.hpp"
#include "cli/guarded.hpp"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

std::string clip(std::string s, std::size_t n) { return s.size() > n ? s.substr(0, n - 3) + "..." : s; }

void print_table(const json::array& apps) {
  if (apps.empty()) {
    std::cout << "No applications. Protect a host with:\n"
                 "  gatehouse app create --domain app.example.com --origin http://127.0.0.1:3000 --policy POLICY\n";
    return;
  }
  std::printf("%-36s  %-24s  %-11s  %-32s  %-28s  %s\n", "ID", "NAME", "TYPE", "DOMAIN", "ORIGIN", "POLICIES");
  for (const auto& v : apps) {
    const auto& a = v.as_object();
    const auto* p = a.if_contains("policies");
    const std::size_t n = p && p->is_array() ? p->as_array().size() : 0;
    std::printf("%-36s  %-24s  %-11s  %-32s  %-28s  %zu\n", str(a, "id").c_str(), clip(str(a, "name"), 24).c_str(),
                str(a, "type").c_str(), clip(str(a, "domain"), 32).c_str(), clip(str(a, "origin"), 28).c_str(), n);
  }
}

void print_details(const json::object& a) {
  std::cout << "  Name:              " << str(a, "name") << "\n"
            << "  App ID:            " << str(a, "id") << "\n"
            << "  Type:              " << str(a, "type") << "\n"
            << "  Domain:            " << str(a, "domain") << "\n";
  if (const auto* d = a.if_contains("destinations"); d && d->is_array())
    for (const auto& dest : d->as_array())
      std::cout << "  Destination:       " << str(dest.as_object(), "uri") << "\n";
  std::cout << "  Origin:            " << str(a, "origin") << "\n"
            << "  AUD:               " << str(a, "aud") << "\n"
            << "  Session duration:  " << str(a, "session_duration") << "\n";
  const std::string header = str(a, "read_service_tokens_from_header");
  if (!header.empty()) std::cout << "  Token header:      " << header << "\n";
  const std::string same_site = str(a, "same_site_cookie_attribute");
  std::cout << "  Cookie:            HttpOnly=" << str(a, "http_only_cookie_attribute")
            << " SameSite=" << (same_site.empty() ? "none (default)" : same_site)
            << " path-scoped=" << str(a, "path_cookie_attribute") << "\n";
  if (str(a, "service_auth_401_redirect") == "true") std::cout << "  Service Auth:      401 instead of 403\n";
  const std::string revoked = str(a, "tokens_revoked_before");
  if (!revoked.empty()) std::cout << "  JWTs revoked:      issued before " << revoked << "\n";
  std::cout << "  Created:           " << str(a, "created_at") << "\n"
            << "  Updated:           " << str(a, "updated_at") << "\n";
  const auto* p = a.if_contains("policies");
  if (!p || !p->is_array() || p->as_array().empty()) {
    std::cout << "\n  No policies: every request is denied. Add one with --policy, or\n"
                 "  gatehouse policy create --app "
              << str(a, "id") << " --decision service_auth --include any_valid_service_token\n";
    return;
  }
  std::cout << "\n  Policies (evaluated: bypass and service_auth first, then allow/deny, by precedence):\n";
  std::printf("  %-4s  %-24s  %-13s  %-9s  %s\n", "PREC", "NAME", "DECISION", "KIND", "INCLUDE");
  for (const auto& v : p->as_array()) {
    const auto& pol = v.as_object();
    std::printf("  %-4s  %-24s  %-13s  %-9s  %s\n", str(pol, "precedence").c_str(), clip(str(pol, "name"), 24).c_str(),
                decision_label(str(pol, "decision")).c_str(), str(pol, "reusable") == "true" ? "reusable" : "app",
                rules_text(pol, "include").c_str());
  }
}

void output(const ApiOptions& api, const json::value& v, const std::string& headline) {
  if (api.json) {
    std::cout << json::serialize(v) << "\n";
    return;
  }
  std::cout << headline << "\n\n";
  print_details(v.as_object());
}

json::object body_of(AccountApi& a, const AppOptions& o, bool creating) {
  json::object b;
  if (creating) b["type"] = o.type.value_or("self_hosted");
  if (o.name) b["name"] = *o.name;
  else if (creating && !o.ref.empty()) b["name"] = o.ref;
  if (o.domain) b["domain"] = *o.domain;
  if (o.origin) b["origin"] = *o.origin;
  if (o.session_duration) b["session_duration"] = *o.session_duration;
  if (o.same_site) b["same_site_cookie_attribute"] = *o.same_site;
  if (o.token_header) b["read_service_tokens_from_header"] = *o.token_header;
  if (o.deny_message) b["custom_deny_message"] = *o.deny_message;
  if (o.service_auth_401_redirect) b["service_auth_401_redirect"] = *o.service_auth_401_redirect;
  if (o.http_only) b["http_only_cookie_attribute"] = *o.http_only;
  if (o.path_cookie) b["path_cookie_attribute"] = *o.path_cookie;
  if (o.options_preflight_bypass) b["options_preflight_bypass"] = *o.options_preflight_bypass;
  if (o.path_case_sensitive) b["path_case_sensitive"] = *o.path_case_sensitive;
  if (!o.destinations.empty() || o.clear_destinations) {
    if (!o.destinations.empty() && o.clear_destinations)
      throw std::runtime_error("give either --destination or --clear-destinations, not both");
    json::array d;
    for (const auto& uri : o.destinations) d.push_back(json::object{{"type", "public"}, {"uri", uri}});
    b["destinations"] = std::move(d);
  }
  if (!o.policies.empty() || o.clear_policies) {
    if (!o.policies.empty() && o.clear_policies)
      throw std::runtime_error("give either --policy or --clear-policies, not both");
    json::array p;
    for (const auto& ref : o.policies) p.push_back(json::value(resolve_policy(a, ref, "")));
    b["policies"] = std::move(p);
  }
  return b;
}

}  // namespace

int app_command(const std::string& verb, const ApiOptions& api, const AppOptions& o) {
  return guarded([&]() -> int {
    AccountApi a = connect_account(api);
    const std::string apps = a.base + "/access/apps";
    if (verb == "create") {
      auto r = a.client.call("POST", apps, json::value(body_of(a, o, true)));
      output(api, r, "Created application \"" + str(r.as_object(), "name") + "\".");
      return 0;
    }
    if (verb == "list") {
      auto all = get_all(a.client, apps);
      if (api.json) std::cout << json::serialize(all) << "\n";
      else print_table(all);
      return 0;
    }
    const std::string path = apps + "/" + url_encode(resolve_app(a, o.ref));
    if (verb == "show") {
      output(api, a.client.call("GET", path), "Application:");
    } else if (verb == "edit") {
      json::object body = body_of(a, o, false);
      if (body.empty()) throw std::runtime_error("nothing to change: give at least one option (see --help)");
      output(api, a.client.call("PUT", path, json::value(body)), "Updated application:");
    } else if (verb == "delete") {
      output(api, a.client.call("DELETE", path), "Deleted application (and its app-scoped policies):");
    } else if (verb == "revoke-tokens") {
      output(api, a.client.call("POST", path + "/revoke_tokens"),
             "Revoked: JWTs issued for this application until now are refused; clients with valid credentials "
             "get new ones.");
    } else {
      std::cerr << "gatehouse: unknown app command \"" << verb << "\"\n";
      return 2;
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
