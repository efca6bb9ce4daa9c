// `gatehouse org show|edit`: the Access organization through the admin API.
#include "cli/access_client.hpp"
#include "cli/access_commands.hpp"
#include "cli/guarded.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

void print_details(const json::object& o) {
  std::cout << "  Name:                      " << str(o, "name") << "\n"
            << "  Team domain (auth_domain): " << str(o, "auth_domain") << "  (JWT iss: https://"
            << str(o, "auth_domain") << ")\n"
            << "  Session duration:          " << str(o, "session_duration") << "\n"
            << "  Strict service-token auth: " << str(o, "strict_service_token_auth") << "\n";
  if (const auto* i = o.if_contains("service_token_inactivity"); i && i->is_object()) {
    const auto& in = i->as_object();
    if (str(in, "enabled") == "true")
      std::cout << "  Token inactivity:          " << str(in, "action") << " after "
                << str(in, "inactivity_threshold_days") << " days unused\n";
    else
      std::cout << "  Token inactivity:          off (would " << str(in, "action") << " after "
                << str(in, "inactivity_threshold_days") << " days)\n";
  }
  std::cout << "  Updated:                   " << str(o, "updated_at") << "\n";
}

}  // namespace

int org_command(const std::string& verb, const ApiOptions& api, const OrgOptions& o) {
  return guarded([&]() -> int {
    AccountApi a = connect_account(api);
    const std::string path = a.base + "/access/organizations";
    json::value result;
    const char* headline = "Organization:";
    if (verb == "show") {
      result = a.client.call("GET", path);
    } else if (verb == "edit") {
      json::object body;
      if (o.name) body["name"] = *o.name;
      if (o.auth_domain) body["auth_domain"] = *o.auth_domain;
      if (o.session_duration) body["session_duration"] = *o.session_duration;
      if (o.strict) body["strict_service_token_auth"] = *o.strict;
      json::object inactivity;
      if (o.inactivity_enabled) inactivity["enabled"] = *o.inactivity_enabled;
      if (o.inactivity_days) inactivity["inactivity_threshold_days"] = *o.inactivity_days;
      if (o.inactivity_action) inactivity["action"] = *o.inactivity_action;
      if (!inactivity.empty()) body["service_token_inactivity"] = std::move(inactivity);
      if (body.empty()) throw std::runtime_error("nothing to change: give at least one option (see --help)");
      result = a.client.call("PATCH", path, json::value(body));
      headline = "Updated organization:";
    } else {
      std::cerr << "gatehouse: unknown org command \"" << verb << "\"\n";
      return 2;
    }
    if (api.json) {
      std::cout << json::serialize(result) << "\n";
    } else {
      std::cout << headline << "\n\n";
      print_details(result.as_object());
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
