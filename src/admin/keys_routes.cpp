// /accounts/{a}/access/keys and …/keys/rotate (compat.md §1.4).
#include "admin/envelope.hpp"
#include "admin/routes.hpp"
#include "core/ids.hpp"
#include "service/json_views.hpp"
#include "service/signing_keys.hpp"

#include <cmath>

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

constexpr int kMinRotationDays = 21;
constexpr int kMaxRotationDays = 365;

json::object to_json(const KeyStatus& k) {
  return json::object{{"days_until_next_rotation", k.days_until_next_rotation},
                      {"key_rotation_interval_days", k.key_rotation_interval_days},
                      {"last_key_rotation_at", json_time(k.last_key_rotation_at)}};
}

Result<Organization> organization(Call& call) {
  auto org = call.services.store.find_organization(call.account_id);
  if (!org) return org.error();
  if (!*org) return not_found("organization_not_found", "account " + call.account_id + " has no organization yet");
  return std::move(**org);
}

http::Response update_interval(Call& call, Organization org) {
  auto body = json_body(call.req);
  if (!body) return fail(body.error());
  const auto* v = body->if_contains("key_rotation_interval_days");
  if (v == nullptr) return fail(bad_request("missing_field", "key_rotation_interval_days is required"));
  if (!v->is_number()) return fail(bad_request("invalid_field_type", "key_rotation_interval_days must be a whole number"));
  // Compared as a double before any conversion to int: 1e300 must be a 400, not UB.
  const double days = v->to_number<double>();
  if (days != std::floor(days)) return fail(bad_request("invalid_field_type", "key_rotation_interval_days must be a whole number"));
  if (days < kMinRotationDays || days > kMaxRotationDays)
    return fail(bad_request("invalid_rotation_interval", "key_rotation_interval_days must be from " +
                                                              std::to_string(kMinRotationDays) + " to " +
                                                              std::to_string(kMaxRotationDays)));
  const Time now = call.services.clock.now();
  if (static_cast<int>(days) == org.key_rotation_interval_days) return ok(to_json(key_status(org, now)));  // unchanged
  const Time expected = org.updated_at;
  Organization after = org;
  after.key_rotation_interval_days = static_cast<int>(days);
  after.updated_at = std::max(now, expected + std::chrono::microseconds(1));
  AuditEvent e;
  e.id = new_uuid(call.services.random);
  e.account_id = call.account_id;
  e.when = now;
  e.actor = call.actor;
  e.action = "organization.update";
  e.resource_type = "access.organization";
  e.resource_id = call.account_id;
  e.resource_name = org.name;
  e.before_json = serialize(json::object{{"key_rotation_interval_days", org.key_rotation_interval_days}});
  e.after_json = serialize(json::object{{"key_rotation_interval_days", after.key_rotation_interval_days}});
  e.interface = "api";
  auto stored = call.services.store.update_organization(after, expected, e);
  if (!stored) return fail(stored.error());
  if (!*stored) return fail(conflict("concurrent_update", "the organization was changed concurrently; retry"));
  call.services.notify_changed();
  return ok(to_json(key_status(after, now)));
}

}  // namespace

http::Response route_keys(Call& call, std::span<const std::string> rest) {
  const std::string& m = call.req.method;
  auto org = organization(call);
  if (!org) return fail(org.error());
  if (rest.empty()) {
    if (m == "GET") return ok(to_json(key_status(*org, call.services.clock.now())));
    if (m == "PUT" || m == "PATCH") return update_interval(call, std::move(*org));
    return method_not_allowed("GET, PUT");
  }
  if (rest.size() == 1 && rest[0] == "rotate") {
    if (m != "POST") return method_not_allowed("POST");
    if (auto body = json_body(call.req); !body) return fail(body.error());
    if (call.services.master_key == nullptr)
      return fail(internal_error("no_master_key", "this server was started without a master key"));
    auto status = rotate_signing_key(call.services, *call.services.master_key, call.actor, *org);
    return status ? ok(to_json(*status)) : fail(status.error());
  }
  return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
}

}  // namespace gatehouse::admin
