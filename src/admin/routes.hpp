#pragma once
// Internal to the admin module: one authenticated call and the per-resource routers.
#include "admin/request_input.hpp"
#include "http/message.hpp"
#include "service/services.hpp"

#include <span>

namespace gatehouse::admin {

struct Call {
  const http::Request& req;
  const Target& target;
  Services& services;
  ApiToken caller;
  Actor actor;
  std::string account_id;  // the {account_id} of the path, checked against the caller
};

http::Response method_not_allowed(std::string_view allowed);

// Each router receives the path segments after /client/v4/accounts/{account_id}.
http::Response route_service_tokens(Call& call, std::span<const std::string> rest);
http::Response route_api_tokens(Call& call, std::span<const std::string> rest);
http::Response route_audit_logs(Call& call, std::span<const std::string> rest);
http::Response route_account(Call& call);
http::Response route_keys(Call& call, std::span<const std::string> rest);
// access/apps, access/policies, access/organizations (admin/access_routes.cpp).
http::Response route_apps(Call& call, std::span<const std::string> rest);
http::Response route_policies(Call& call, std::span<const std::string> rest);
http::Response route_organizations(Call& call, std::span<const std::string> rest);
// alerting/v3/… (admin/alert_routes.cpp); needs call.services.alerting.
http::Response route_alerting(Call& call, std::span<const std::string> rest);

}  // namespace gatehouse::admin
