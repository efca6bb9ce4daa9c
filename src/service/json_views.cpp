#include "service/json_views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace gatehouse {

namespace json = boost::json;

json::value json_time(const std::optional<Time>& t) {
  if (!t) return nullptr;
  return json::value(format_rfc3339(*t));
}

json::object to_json(const ServiceToken& t) {
  json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["client_id"] = t.client_id;
  o["duration"] = t.duration.text;
  o["enabled"] = t.enabled;
  o["expires_at"] = json_time(t.expires_at);
  o["created_at"] = format_rfc3339(t.created_at);
  o["updated_at"] = format_rfc3339(t.updated_at);
  o["last_seen_at"] = json_time(t.last_seen_at);
  o["client_secret_version"] = t.client_secret_version;
  o["previous_client_secret_expires_at"] = json_time(t.previous_client_secret_expires_at);
  // Gatehouse extensions (compat.md §3): when each secret was last used, so a rotation's
  // old secret can be retired as soon as it goes quiet.
  o["client_secret_last_seen_at"] = json_time(secret_last_seen_at(t, t.client_secret_version));
  o["previous_client_secret_last_seen_at"] =
      t.previous_secret_hash ? json_time(secret_last_seen_at(t, t.client_secret_version - 1)) : json::value(nullptr);
  json::array versions;
  for (const auto& u : t.secret_last_seen)
    versions.push_back(json::object{{"client_secret_version", u.client_secret_version},
                                    {"last_seen_at", format_rfc3339(u.last_seen_at)}});
  o["client_secret_versions_last_seen"] = std::move(versions);
  return o;
}

json::object to_json(const Account& a) {
  json::object o;
  o["id"] = a.id;
  o["name"] = a.name;
  o["created_on"] = format_rfc3339(a.created_at);
  o["type"] = "standard";
  return o;
}

json::object to_json(const ApiToken& t, Time now) {
  json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["scope"] = to_string(t.scope);
  o["status"] = t.revoked_at ? "revoked" : (t.usable_at(now) ? "active" : "expired");
  o["issued_on"] = format_rfc3339(t.created_at);
  o["expires_on"] = json_time(t.expires_at);
  o["revoked_on"] = json_time(t.revoked_at);
  return o;
}

json::object to_json(const AuditEvent& e) {
  auto parse_or_null = [](const std::string& s) -> json::value {
    if (s.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return ec ? json::value(nullptr) : v;
  };
  json::object o;
  o["id"] = e.id;
  o["when"] = format_rfc3339(e.when);
  o["action"] = json::object{{"type", e.action}, {"result", true}};
  o["actor"] = json::object{{"type", e.actor.type}, {"id", e.actor.id}, {"name", e.actor.name}};
  o["resource"] = json::object{{"type", e.resource_type}, {"id", e.resource_id}, {"name", e.resource_name}};
  o["owner"] = json::object{{"id", e.account_id}};
  o["interface"] = e.interface;
  o["oldValueJson"] = parse_or_null(e.before_json);
  o["newValueJson"] = parse_or_null(e.after_json);
  return o;
}

std::string serialize(const json::value& v) { return json::serialize(v); }

}  // namespace gatehouse
