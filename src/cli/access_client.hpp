#pragma once
// Shared by `gatehouse app|policy|org`: the account-scoped API client, name
// resolution, rules written on the command line, and small printing helpers.
#include "cli/api_client.hpp"
#include "cli/commands.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace gatehouse::cli {

// Every item of a list endpoint, page by page until an empty one. `path` may carry a
// query already.
boost::json::array get_all(ApiClient& client, const std::string& path);

// An app by id, exact name or domain; a policy by id or exact name (reusable ones, or
// those of `app_id`). Ambiguous or unknown names are errors naming the choices.
std::string resolve_app(AccountApi& a, const std::string& ref);
std::string resolve_policy(AccountApi& a, const std::string& ref, const std::string& app_id);

// A rule written as TYPE[=VALUE]: service_token=<id|name|client id>,
// any_valid_service_token, everyone, ip=CIDR, email=ADDRESS, email_domain=DOMAIN,
// common_name=CN. `flag` names the option in errors ("--include").
boost::json::value rule_json(AccountApi& a, const std::string& spec, const std::string& flag);
// The reverse, for display: "ip=10.0.0.0/8".
std::string rule_text(const boost::json::value& rule);
std::string rules_text(const boost::json::object& policy, std::string_view list);

// allow | deny (or block) | service_auth (or non_identity) | bypass -> the API value.
std::string decision_value(const std::string& cli);
// The API value -> how the dashboard calls it.
std::string decision_label(const std::string& api);

}  // namespace gatehouse::cli
