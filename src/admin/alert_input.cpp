#include "admin/alert_input.hpp"

#include "admin/request_input.hpp"

#include <boost/json/array.hpp>

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxListEntries = 1000;

Error wrong(const std::string& field, const char* expected) {
  return bad_request("invalid_field_type", field + " must be " + expected);
}

// [{"id": "…"}, …] (objects, as Cloudflare writes mechanisms) -> the ids.
Result<std::vector<std::string>> id_objects(const json::value& v, const std::string& field) {
  if (!v.is_array()) return wrong(field, "an array of {\"id\": …} objects");
  const auto& a = v.as_array();
  if (a.size() > kMaxListEntries) return bad_request("too_many_values", field + " has too many entries");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return wrong(f, "an object {\"id\": …}");
    const auto* id = a[i].as_object().if_contains("id");
    if (id == nullptr || !id->is_string()) return wrong(f + ".id", "a string");
    out.emplace_back(id->as_string());
  }
  return out;
}

Result<std::vector<std::string>> strings(const json::value& v, const std::string& field) {
  if (!v.is_array()) return wrong(field, "an array of strings");
  const auto& a = v.as_array();
  if (a.size() > kMaxListEntries) return bad_request("too_many_values", field + " has too many entries");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) return wrong(field + "[" + std::to_string(i) + "]", "a string");
    out.emplace_back(a[i].as_string());
  }
  return out;
}

Result<void> read_mechanisms(const json::value& v, AlertPolicyInput& in) {
  if (!v.is_object()) return wrong("mechanisms", "an object {\"email\": […], \"webhooks\": […]}");
  const auto& m = v.as_object();
  in.mechanisms_given = true;
  if (const auto* e = m.if_contains("email"); e && !e->is_null()) {
    auto ids = id_objects(*e, "mechanisms.email");
    if (!ids) return ids.error();
    in.emails = std::move(*ids);
  }
  if (const auto* w = m.if_contains("webhooks"); w && !w->is_null()) {
    auto ids = id_objects(*w, "mechanisms.webhooks");
    if (!ids) return ids.error();
    in.webhook_ids = std::move(*ids);
  }
  if (const auto* p = m.if_contains("pagerduty"); p && !p->is_null()) {
    if (!p->is_array()) return wrong("mechanisms.pagerduty", "an array");
    if (!p->as_array().empty())
      return bad_request("unsupported_mechanism", "mechanisms.pagerduty is not supported; use email or webhooks");
  }
  return {};
}

Result<void> read_filters(const json::value& v, AlertPolicyInput& in) {
  in.filters_given = true;
  if (v.is_null()) return {};
  if (!v.is_object()) return wrong("filters", "an object {\"token_id\": […]}");
  if (const auto* t = v.as_object().if_contains("token_id"); t && !t->is_null()) {
    auto ids = strings(*t, "filters.token_id");
    if (!ids) return ids.error();
    in.token_ids = std::move(*ids);
  }
  return {};
}

}  // namespace

Result<AlertPolicyInput> alert_policy_input(const json::object& body) {
  AlertPolicyInput in;
  auto name = string_field(body, "name");
  if (!name) return name.error();
  in.name = std::move(*name);
  auto description = string_field(body, "description");
  if (!description) return description.error();
  in.description = std::move(*description);
  auto enabled = bool_field(body, "enabled");
  if (!enabled) return enabled.error();
  in.enabled = *enabled;
  auto type = string_field(body, "alert_type");
  if (!type) return type.error();
  in.alert_type = std::move(*type);
  if (const auto* m = body.if_contains("mechanisms"); m && !m->is_null())
    if (auto r = read_mechanisms(*m, in); !r) return r.error();
  if (const auto* f = body.if_contains("filters"))
    if (auto r = read_filters(*f, in); !r) return r.error();
  return in;
}

Result<WebhookInput> webhook_input(const json::object& body) {
  WebhookInput in;
  auto name = string_field(body, "name");
  if (!name) return name.error();
  in.name = std::move(*name);
  auto url = string_field(body, "url");
  if (!url) return url.error();
  in.url = std::move(*url);
  auto secret = string_field(body, "secret");
  if (!secret) return secret.error();
  in.secret = std::move(*secret);
  return in;
}

}  // namespace gatehouse::admin
