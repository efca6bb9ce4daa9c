#include "service/access_json.hpp"

#include "service/json_views.hpp"

#include <boost/json/parse.hpp>

namespace gatehouse {

namespace json = boost::json;

namespace {

const char* same_site_text(SameSite v) {
  switch (v) {
    case SameSite::none: return "none";
    case SameSite::lax: return "lax";
    case SameSite::strict: return "strict";
  }
  return "none";
}

json::array rules_json(const std::vector<Rule>& rules) {
  json::array out;
  for (const auto& r : rules) out.push_back(to_json(r));
  return out;
}

}  // namespace

json::object to_json(const Rule& r) {
  json::object inner;
  switch (r.kind) {
    case Rule::Kind::service_token: inner["token_id"] = r.value; break;
    case Rule::Kind::ip: inner["ip"] = r.value; break;
    case Rule::Kind::email: inner["email"] = r.value; break;
    case Rule::Kind::email_domain: inner["domain"] = r.value; break;
    case Rule::Kind::common_name: inner["common_name"] = r.value; break;
    case Rule::Kind::any_valid_service_token:
    case Rule::Kind::everyone: break;
  }
  json::object o;
  o[to_string(r.kind)] = std::move(inner);
  return o;
}

json::object to_json(const Policy& p, std::optional<int> precedence, const std::vector<AppRef>* apps) {
  json::object o;
  o["id"] = p.id;
  o["name"] = p.name;
  o["decision"] = to_string(p.decision);
  o["include"] = rules_json(p.include);
  o["exclude"] = rules_json(p.exclude);
  o["require"] = rules_json(p.require);
  const bool reusable = p.app_id.empty();
  if (precedence) o["precedence"] = *precedence;
  else if (!reusable) o["precedence"] = p.precedence;
  o["session_duration"] = p.session_duration ? json::value(p.session_duration->text) : json::value(nullptr);
  o["reusable"] = reusable;
  if (!reusable) o["app_id"] = p.app_id;
  if (apps) o["app_count"] = static_cast<std::int64_t>(apps->size());
  o["created_at"] = format_rfc3339(p.created_at);
  o["updated_at"] = format_rfc3339(p.updated_at);
  return o;
}

json::object to_json(const PolicyWithApps& p) {
  return to_json(p.policy, std::nullopt, p.policy.app_id.empty() ? &p.apps : nullptr);
}

json::object to_json(const AppWithPolicies& v) {
  const App& a = v.app;
  json::object o;
  o["id"] = a.id;
  o["type"] = a.type;
  o["name"] = a.name;
  o["domain"] = a.domain;
  json::array destinations, hosts;
  if (!a.domain.empty()) hosts.push_back(json::value(a.domain));
  for (const auto& d : a.destinations) {
    destinations.push_back(json::object{{"type", "public"}, {"uri", d}});
    hosts.push_back(json::value(d));
  }
  o["destinations"] = std::move(destinations);
  o["self_hosted_domains"] = std::move(hosts);  // Cloudflare's older, flat view of the same list
  o["aud"] = a.aud;
  o["session_duration"] = a.session_duration.text;
  json::array policies;
  for (const auto& p : v.policies) policies.push_back(to_json(p, p.precedence));
  o["policies"] = std::move(policies);
  o["read_service_tokens_from_header"] = a.read_service_tokens_from_header;
  o["service_auth_401_redirect"] = a.service_auth_401_redirect;
  o["http_only_cookie_attribute"] = a.http_only_cookie_attribute;
  if (a.same_site_cookie_attribute) o["same_site_cookie_attribute"] = same_site_text(*a.same_site_cookie_attribute);
  o["path_cookie_attribute"] = a.path_cookie_attribute;
  o["custom_deny_message"] = a.custom_deny_message;
  if (!a.cors_headers_json.empty()) {
    boost::system::error_code ec;
    auto cors = json::parse(a.cors_headers_json, ec);
    if (!ec) o["cors_headers"] = std::move(cors);
  }
  o["options_preflight_bypass"] = a.options_preflight_bypass;
  o["path_case_sensitive"] = a.path_case_sensitive;
  o["origin"] = a.origin;
  o["origin_timeout"] = json::object{{"connect", format_go_duration(a.origin_timeout.connect)},
                                     {"response_header", format_go_duration(a.origin_timeout.response_header)},
                                     {"idle", format_go_duration(a.origin_timeout.idle)}};
  o["tokens_revoked_before"] = json_time(a.tokens_revoked_before);
  o["allowed_idps"] = json::array{};
  o["created_at"] = format_rfc3339(a.created_at);
  o["updated_at"] = format_rfc3339(a.updated_at);
  return o;
}

json::object to_json(const Organization& o) {
  json::object j;
  j["name"] = o.name;
  j["auth_domain"] = o.auth_domain;
  j["session_duration"] = o.session_duration.text;
  j["strict_service_token_auth"] = o.strict_service_token_auth;
  j["service_token_inactivity"] = json::object{{"enabled", o.service_token_inactivity.enabled},
                                               {"inactivity_threshold_days", o.service_token_inactivity.threshold_days},
                                               {"action", o.service_token_inactivity.action}};
  j["is_ui_read_only"] = false;
  j["auto_redirect_to_identity"] = false;
  j["created_at"] = format_rfc3339(o.created_at);
  j["updated_at"] = format_rfc3339(o.updated_at);
  return j;
}

std::string format_go_duration(std::chrono::milliseconds d) {
  using namespace std::chrono;
  const auto ms = d.count();
  if (ms == 0) return "0s";
  if (ms < 0) return "-" + format_go_duration(-d);
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  const auto h = ms / 3'600'000;
  const auto m = ms / 60'000 % 60;
  const auto s = ms / 1000 % 60;
  const auto frac = ms % 1000;
  if (h > 0) out += std::to_string(h) + "h";
  if (h > 0 || m > 0) out += std::to_string(m) + "m";
  out += std::to_string(s);
  if (frac != 0) {
    std::string f = std::to_string(1000 + frac).substr(1);  // three digits
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "s";
}

}  // namespace gatehouse
