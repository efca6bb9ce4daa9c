// `gatehouse policy …`: Access policies through the admin API (reusable, or the
// app-scoped policies of --app).
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

void print_table(const json::array& policies, bool in_app) {
  if (policies.empty()) {
    std::cout << (in_app ? "No policies on this application.\n" : "No reusable policies.\n")
              << "Create one with: gatehouse policy create NAME --decision service_auth --include "
                 "service_token=TOKEN"
              << (in_app ? " --app APP\n" : "\n");
    return;
  }
  if (in_app) std::printf("%-4s  ", "PREC");
  std::printf("%-36s  %-24s  %-13s  %-5s  %s\n", "ID", "NAME", "DECISION", in_app ? "KIND" : "APPS", "INCLUDE");
  for (const auto& v : policies) {
    const auto& p = v.as_object();
    if (in_app) std::printf("%-4s  ", str(p, "precedence").c_str());
    const std::string apps = in_app ? (str(p, "reusable") == "true" ? "reus." : "app") : str(p, "app_count");
    std::printf("%-36s  %-24s  %-13s  %-5s  %s\n", str(p, "id").c_str(), clip(str(p, "name"), 24).c_str(),
                decision_label(str(p, "decision")).c_str(), apps.c_str(), rules_text(p, "include").c_str());
  }
}

void print_details(const json::object& p) {
  const bool reusable = str(p, "reusable") == "true";
  std::cout << "  Name:              " << str(p, "name") << "\n"
            << "  Policy ID:         " << str(p, "id") << "\n"
            << "  Decision:          " << decision_label(str(p, "decision")) << "\n"
            << "  Include (any of):  " << rules_text(p, "include") << "\n"
            << "  Exclude (none of): " << rules_text(p, "exclude") << "\n"
            << "  Require (all of):  " << rules_text(p, "require") << "\n";
  const std::string session = str(p, "session_duration");
  std::cout << "  Session duration:  " << (session.empty() ? "the application's" : session) << "\n";
  if (reusable) std::cout << "  Used by:           " << str(p, "app_count") << " application(s)\n";
  else std::cout << "  Application:       " << str(p, "app_id") << "\n";
  if (!str(p, "precedence").empty()) std::cout << "  Precedence:        " << str(p, "precedence") << "\n";
  std::cout << "  Created:           " << str(p, "created_at") << "\n"
            << "  Updated:           " << str(p, "updated_at") << "\n";
}

void output(const ApiOptions& api, const json::value& v, const std::string& headline) {
  if (api.json) {
    std::cout << json::serialize(v) << "\n";
    return;
  }
  std::cout << headline << "\n\n";
  print_details(v.as_object());
}

json::array rules(AccountApi& a, const std::vector<std::string>& specs, const std::string& flag) {
  json::array out;
  for (const auto& s : specs) out.push_back(rule_json(a, s, flag));
  return out;
}

json::object body_of(AccountApi& a, const PolicyOptions& o, bool creating) {
  json::object b;
  if (o.name) b["name"] = *o.name;
  else if (creating && !o.ref.empty()) b["name"] = o.ref;
  if (o.decision) b["decision"] = decision_value(*o.decision);
  if (!o.include.empty()) b["include"] = rules(a, o.include, "--include");
  if (!o.exclude.empty() && o.clear_exclude) throw std::runtime_error("give either --exclude or --clear-exclude");
  if (!o.require.empty() && o.clear_require) throw std::runtime_error("give either --require or --clear-require");
  if (!o.exclude.empty() || o.clear_exclude) b["exclude"] = rules(a, o.exclude, "--exclude");
  if (!o.require.empty() || o.clear_require) b["require"] = rules(a, o.require, "--require");
  if (o.precedence) b["precedence"] = *o.precedence;
  if (o.session_duration) {
    if (*o.session_duration == "none") b["session_duration"] = nullptr;
    else b["session_duration"] = *o.session_duration;
  }
  if (creating) {
    if (!b.contains("name")) throw std::runtime_error("give the policy a name: gatehouse policy create NAME …");
    if (!o.decision) throw std::runtime_error("give --decision allow|deny|service_auth|bypass");
    if (o.include.empty())
      throw std::runtime_error("give at least one --include rule, e.g. --include service_token=TOKEN");
  }
  return b;
}

}  // namespace

int policy_command(const std::string& verb, const ApiOptions& api, const PolicyOptions& o) {
  return guarded([&]() -> int {
    if (o.decision) decision_value(*o.decision);  // fail fast, before any request
    AccountApi a = connect_account(api);
    const std::string app_id = o.app.empty() ? std::string() : resolve_app(a, o.app);
    const std::string base = app_id.empty() ? a.base + "/access/policies"
                                            : a.base + "/access/apps/" + url_encode(app_id) + "/policies";
    if (verb == "create") {
      auto r = a.client.call("POST", base, json::value(body_of(a, o, true)));
      output(api, r, "Created " + std::string(app_id.empty() ? "reusable" : "app-scoped") + " policy \"" +
                         str(r.as_object(), "name") + "\".");
      return 0;
    }
    if (verb == "list") {
      auto all = get_all(a.client, base);
      if (api.json) std::cout << json::serialize(all) << "\n";
      else print_table(all, !app_id.empty());
      return 0;
    }
    const std::string path = base + "/" + url_encode(resolve_policy(a, o.ref, app_id));
    if (verb == "show") {
      output(api, a.client.call("GET", path), "Policy:");
    } else if (verb == "edit") {
      json::object body = body_of(a, o, false);
      if (body.empty()) throw std::runtime_error("nothing to change: give at least one option (see --help)");
      output(api, a.client.call("PUT", path, json::value(body)), "Updated policy:");
    } else if (verb == "delete") {
      output(api, a.client.call("DELETE", path), "Deleted policy:");
    } else {
      std::cerr << "gatehouse: unknown policy command \"" << verb << "\"\n";
      return 2;
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
