#include "admin/access_input.hpp"

#include "admin/request_input.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <limits>

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

// An integer, also when written as a whole double (5.0); 400 otherwise.
Result<std::int64_t> as_integer(const json::value& v, const std::string& field) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) {
    if (v.as_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return bad_request("invalid_number", field + " is too large");
    return static_cast<std::int64_t>(v.as_uint64());
  }
  if (v.is_double()) {
    const double d = v.as_double();
    if (std::trunc(d) == d && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
  }
  return wrong_type(field, "a whole number", v);
}

Result<std::optional<int>> int_field(const json::object& o, std::string_view key, const std::string& field) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int>();
  auto n = as_integer(*v, field);
  if (!n) return n.error();
  if (*n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
    return bad_request("invalid_number", field + " is out of range");
  return std::optional<int>(static_cast<int>(*n));
}

// `string_field` et al. name only the key, and parse_duration says "duration";
// the message must name the field by its full path.
template <class T>
Result<T> labelled(Result<T> r, std::string_view key, const std::string& field) {
  if (r) return r;
  Error e = r.error();
  constexpr std::string_view kDuration = "duration";
  if (e.message.compare(0, key.size(), key) == 0)
    e.message = field + e.message.substr(key.size());
  else if (e.slug == "invalid_duration" && e.message.compare(0, kDuration.size(), kDuration) == 0)
    e.message = field + e.message.substr(kDuration.size());
  return e;
}

constexpr std::string_view kSupportedRules =
    "service_token, any_valid_service_token, everyone, ip, email, email_domain, common_name";

Result<Rule> parse_rule(const json::value& v, const std::string& field) {
  if (!v.is_object()) return wrong_type(field, "a rule object such as {\"everyone\":{}}", v);
  const auto& o = v.as_object();
  if (o.empty()) return bad_request("invalid_rule", field + " is empty; give one rule type, e.g. {\"everyone\":{}}");
  if (o.size() > 1) {
    std::string keys;
    for (const auto& kv : o) keys += (keys.empty() ? "" : ", ") + std::string(kv.key());
    return bad_request("invalid_rule", field + " has more than one rule type (" + keys.substr(0, 200) +
                                           "); put each in its own rule");
  }
  const std::string type(o.begin()->key());
  const json::value& inner = o.begin()->value();
  const std::string f = field + "." + type;
  struct Known {
    const char* type;
    Rule::Kind kind;
    const char* value_key;  // nullptr: no value
  };
  static constexpr Known kKnown[] = {
      {"service_token", Rule::Kind::service_token, "token_id"},
      {"any_valid_service_token", Rule::Kind::any_valid_service_token, nullptr},
      {"everyone", Rule::Kind::everyone, nullptr},
      {"ip", Rule::Kind::ip, "ip"},
      {"email", Rule::Kind::email, "email"},
      {"email_domain", Rule::Kind::email_domain, "domain"},
      {"common_name", Rule::Kind::common_name, "common_name"},
  };
  for (const auto& k : kKnown) {
    if (type != k.type) continue;
    if (!inner.is_object()) return wrong_type(f, "an object", inner);
    Rule rule{k.kind, {}};
    if (k.value_key) {
      const std::string vf = f + "." + k.value_key;
      const auto* value = inner.as_object().if_contains(k.value_key);
      if (value == nullptr || value->is_null()) return bad_request("missing_field", vf + " is required");
      if (!value->is_string()) return wrong_type(vf, "a string", *value);
      rule.value = std::string(value->as_string());
    }
    return rule;
  }
  // Refused, never ignored: an ignored rule would silently widen or narrow access.
  return bad_request("unsupported_rule", field + ": rule type \"" + type.substr(0, 64) +
                                             "\" is not supported (supported: " + std::string(kSupportedRules) + ")");
}

Result<std::optional<std::vector<Rule>>> rules_field(const json::object& o, std::string_view key,
                                                     const std::string& prefix) {
  const std::string field = prefix + std::string(key);
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<Rule>>();
  if (!v->is_array()) return wrong_type(field, "an array of rules", *v);
  std::vector<Rule> out;
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    auto r = parse_rule(v->as_array()[i], field + "[" + std::to_string(i) + "]");
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return std::optional<std::vector<Rule>>(std::move(out));
}

// Light shape check of Cloudflare's CORSHeaders object, so that the edge can rely on
// the types of what it reads.
Result<void> check_cors(const json::object& o) {
  for (const auto& kv : o) {
    const std::string key(kv.key());
    const std::string field = "cors_headers." + key;
    const json::value& v = kv.value();
    if (key == "allow_all_headers" || key == "allow_all_methods" || key == "allow_all_origins" ||
        key == "allow_credentials") {
      if (!v.is_bool()) return wrong_type(field, "true or false", v);
    } else if (key == "allowed_headers" || key == "allowed_methods" || key == "allowed_origins") {
      if (!v.is_array()) return wrong_type(field, "an array of strings", v);
      for (const auto& item : v.as_array())
        if (!item.is_string()) return wrong_type(field + "[]", "a string", item);
    } else if (key == "max_age") {
      auto n = as_integer(v, field);
      if (!n) return n.error();
      if (*n < -1 || *n > 86400) return bad_request("invalid_cors_headers", field + " must be from -1 to 86400");
    }
  }
  return {};
}

Result<std::vector<AppPolicyEntry>> app_policies(const json::value& v) {
  if (!v.is_array()) return wrong_type("policies", "an array", v);
  std::vector<AppPolicyEntry> out;
  const auto& items = v.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string field = "policies[" + std::to_string(i) + "]";
    const auto& item = items[i];
    AppPolicyEntry e;
    if (item.is_string()) {
      e.id = std::string(item.as_string());
    } else if (item.is_object()) {
      const auto& o = item.as_object();
      auto precedence = int_field(o, "precedence", field + ".precedence");
      if (!precedence) return precedence.error();
      e.precedence = *precedence;
      const auto* id = o.if_contains("id");
      if (id != nullptr && !id->is_null()) {
        // A link (also what a GET returns, so a read-modify-write round-trips).
        if (!id->is_string()) return wrong_type(field + ".id", "a string", *id);
        e.id = std::string(id->as_string());
      } else {
        auto p = policy_input(o, field + ".");
        if (!p) return p.error();
        e.inline_policy = std::move(*p);
      }
    } else {
      return wrong_type(field, "a policy id, {\"id\", \"precedence\"} or a policy object", item);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<std::string>> destinations(const json::value& v) {
  if (!v.is_array()) return wrong_type("destinations", "an array", v);
  std::vector<std::string> out;
  const auto& items = v.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string field = "destinations[" + std::to_string(i) + "]";
    if (!items[i].is_object()) return wrong_type(field, "an object {\"type\":\"public\",\"uri\":…}", items[i]);
    const auto& o = items[i].as_object();
    auto type = labelled(string_field(o, "type"), "type", field + ".type");
    if (!type) return type.error();
    if (*type && **type != "public")
      return bad_request("unsupported_destination", field + ".type \"" + (*type)->substr(0, 64) +
                                                        "\" is not supported (only \"public\")");
    auto uri = labelled(string_field(o, "uri"), "uri", field + ".uri");
    if (!uri) return uri.error();
    if (!*uri) return bad_request("missing_field", field + ".uri is required");
    out.push_back(std::move(**uri));
  }
  return out;
}

Result<OriginTimeoutInput> origin_timeouts(const json::value& v) {
  if (!v.is_object()) return wrong_type("origin_timeout", "an object", v);
  const auto& o = v.as_object();
  OriginTimeoutInput t;
  const std::pair<const char*, std::optional<Duration>*> fields[] = {
      {"connect", &t.connect}, {"response_header", &t.response_header}, {"idle", &t.idle}};
  for (const auto& [key, out] : fields) {
    auto d = labelled(duration_field(o, key), key, std::string("origin_timeout.") + key);
    if (!d) return d.error();
    *out = std::move(*d);
  }
  return t;
}

}  // namespace

Result<PolicyInput> policy_input(const json::object& o, const std::string& prefix) {
  PolicyInput in;
  auto name = labelled(string_field(o, "name"), "name", prefix + "name");
  if (!name) return name.error();
  in.name = std::move(*name);
  auto decision = labelled(string_field(o, "decision"), "decision", prefix + "decision");
  if (!decision) return decision.error();
  if (*decision) {
    in.decision = parse_policy_decision(**decision);
    if (!in.decision)
      return bad_request("invalid_decision", prefix + "decision must be \"allow\", \"deny\", \"non_identity\" "
                                                      "(Service Auth) or \"bypass\", got \"" +
                                                 (*decision)->substr(0, 64) + "\"");
  }
  for (auto [key, out] : {std::pair{"include", &in.include}, std::pair{"exclude", &in.exclude},
                          std::pair{"require", &in.require}}) {
    auto rules = rules_field(o, key, prefix);
    if (!rules) return rules.error();
    *out = std::move(*rules);
  }
  auto precedence = int_field(o, "precedence", prefix + "precedence");
  if (!precedence) return precedence.error();
  in.precedence = *precedence;
  if (const auto* sd = o.if_contains("session_duration")) {
    if (sd->is_null()) {
      in.session_duration = std::optional<Duration>();  // explicit null: no override
    } else {
      auto d = labelled(duration_field(o, "session_duration"), "session_duration", prefix + "session_duration");
      if (!d) return d.error();
      in.session_duration = std::move(*d);
    }
  }
  return in;
}

Result<AppInput> app_input(const json::object& o) {
  AppInput in;
  for (auto [key, out] : {std::pair{"type", &in.type}, std::pair{"name", &in.name}, std::pair{"domain", &in.domain},
                          std::pair{"read_service_tokens_from_header", &in.read_service_tokens_from_header},
                          std::pair{"custom_deny_message", &in.custom_deny_message},
                          std::pair{"origin", &in.origin}}) {
    auto v = string_field(o, key);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  for (auto [key, out] : {std::pair{"service_auth_401_redirect", &in.service_auth_401_redirect},
                          std::pair{"http_only_cookie_attribute", &in.http_only_cookie_attribute},
                          std::pair{"path_cookie_attribute", &in.path_cookie_attribute},
                          std::pair{"options_preflight_bypass", &in.options_preflight_bypass},
                          std::pair{"path_case_sensitive", &in.path_case_sensitive}}) {
    auto v = bool_field(o, key);
    if (!v) return v.error();
    *out = *v;
  }
  auto session = labelled(duration_field(o, "session_duration"), "session_duration", "session_duration");
  if (!session) return session.error();
  in.session_duration = std::move(*session);
  if (const auto* v = o.if_contains("destinations"); v && !v->is_null()) {
    auto d = destinations(*v);
    if (!d) return d.error();
    in.destinations = std::move(*d);
  }
  if (const auto* v = o.if_contains("policies"); v && !v->is_null()) {
    auto p = app_policies(*v);
    if (!p) return p.error();
    in.policies = std::move(*p);
  }
  if (const auto* v = o.if_contains("same_site_cookie_attribute")) {
    if (v->is_null()) in.same_site_cookie_attribute = std::optional<std::string>();
    else if (v->is_string()) in.same_site_cookie_attribute = std::optional<std::string>(std::string(v->as_string()));
    else return wrong_type("same_site_cookie_attribute", "\"none\", \"lax\" or \"strict\"", *v);
  }
  if (const auto* v = o.if_contains("cors_headers")) {
    if (v->is_null()) {
      in.cors_headers_json = std::optional<std::string>();
    } else {
      if (!v->is_object()) return wrong_type("cors_headers", "an object", *v);
      if (auto r = check_cors(v->as_object()); !r) return r.error();
      in.cors_headers_json = std::optional<std::string>(json::serialize(*v));
    }
  }
  if (const auto* v = o.if_contains("origin_timeout"); v && !v->is_null()) {
    auto t = origin_timeouts(*v);
    if (!t) return t.error();
    in.origin_timeout = std::move(*t);
  }
  return in;
}

Result<OrganizationInput> organization_input(const json::object& o) {
  OrganizationInput in;
  auto name = string_field(o, "name");
  if (!name) return name.error();
  in.name = std::move(*name);
  auto domain = string_field(o, "auth_domain");
  if (!domain) return domain.error();
  in.auth_domain = std::move(*domain);
  auto session = labelled(duration_field(o, "session_duration"), "session_duration", "session_duration");
  if (!session) return session.error();
  in.session_duration = std::move(*session);
  auto strict = bool_field(o, "strict_service_token_auth");
  if (!strict) return strict.error();
  in.strict_service_token_auth = *strict;
  if (const auto* v = o.if_contains("service_token_inactivity"); v && !v->is_null()) {
    const std::string field = "service_token_inactivity";
    if (!v->is_object()) return wrong_type(field, "an object", *v);
    const auto& s = v->as_object();
    InactivityInput i;
    auto enabled = labelled(bool_field(s, "enabled"), "enabled", field + ".enabled");
    if (!enabled) return enabled.error();
    i.enabled = *enabled;
    if (const auto* days = s.if_contains("inactivity_threshold_days"); days && !days->is_null()) {
      auto n = as_integer(*days, field + ".inactivity_threshold_days");
      if (!n) return n.error();
      i.threshold_days = *n;
    }
    auto action = labelled(string_field(s, "action"), "action", field + ".action");
    if (!action) return action.error();
    i.action = std::move(*action);
    in.service_token_inactivity = std::move(i);
  }
  return in;
}

}  // namespace gatehouse::admin
