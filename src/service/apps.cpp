#include "service/apps.hpp"

#include "core/ids.hpp"
#include "service/access_audit.hpp"
#include "service/access_json.hpp"
#include "service/access_validation.hpp"
#include "service/json_views.hpp"

#include <algorithm>
#include <set>

namespace gatehouse {

using namespace access_detail;

namespace {

constexpr std::size_t kMaxDestinations = 100;
constexpr std::size_t kMaxPolicies = 1000;
constexpr std::size_t kMaxDenyMessageChars = 1024;
constexpr std::chrono::hours kMaxOriginTimeout{1};

std::string quoted(std::string_view s) { return "\"" + std::string(s.substr(0, 128)) + "\""; }

Error app_not_found(std::string_view id) {
  return not_found("app_not_found", "no application with id " + quoted(id.substr(0, 64)) + " in this account");
}

std::string at(std::string_view field, std::size_t i) { return std::string(field) + "[" + std::to_string(i) + "]"; }

Result<std::chrono::milliseconds> origin_timeout(const Duration& d, std::string_view field) {
  using namespace std::chrono;
  const std::string f = "origin_timeout." + std::string(field);
  if (d.forever() || *d.length < milliseconds(1) || *d.length > kMaxOriginTimeout)
    return bad_request("invalid_origin_timeout", f + " must be a Go duration from 1ms to 1h, got " + quoted(d.text));
  return duration_cast<milliseconds>(*d.length);
}

std::optional<SameSite> parse_same_site(std::string_view s) {
  if (s == "none") return SameSite::none;
  if (s == "lax") return SameSite::lax;
  if (s == "strict") return SameSite::strict;
  return std::nullopt;
}

// Applies the scalar fields of `in` to `a` (everything but the policy list).
Result<void> apply_fields(App& a, const AppInput& in, bool creating) {
  if (in.name) {
    auto v = validate_name(*in.name);
    if (!v) return v.error();
    a.name = std::move(*v);
  }
  if (in.domain) {
    if (in.domain->empty() && a.type == "warp") {
      a.domain.clear();
    } else {
      auto v = validate_app_domain(*in.domain, "domain");
      if (!v) return v.error();
      a.domain = std::move(*v);
    }
  }
  if (in.destinations) {
    if (in.destinations->size() > kMaxDestinations)
      return bad_request("too_many_destinations", "destinations has more than 100 entries");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < in.destinations->size(); ++i) {
      auto v = validate_app_domain((*in.destinations)[i], at("destinations", i) + ".uri");
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
    a.destinations = std::move(out);
  }
  if (in.session_duration) {
    auto v = validate_session_duration(*in.session_duration, "session_duration");
    if (!v) return v.error();
    a.session_duration = std::move(*v);
  }
  if (in.read_service_tokens_from_header) {
    if (in.read_service_tokens_from_header->empty()) {
      a.read_service_tokens_from_header.clear();
    } else {
      auto v = validate_header_name(*in.read_service_tokens_from_header, "read_service_tokens_from_header");
      if (!v) return v.error();
      a.read_service_tokens_from_header = std::move(*v);
    }
  }
  if (in.service_auth_401_redirect) a.service_auth_401_redirect = *in.service_auth_401_redirect;
  if (in.http_only_cookie_attribute) a.http_only_cookie_attribute = *in.http_only_cookie_attribute;
  if (in.path_cookie_attribute) a.path_cookie_attribute = *in.path_cookie_attribute;
  if (in.options_preflight_bypass) a.options_preflight_bypass = *in.options_preflight_bypass;
  if (in.path_case_sensitive) a.path_case_sensitive = *in.path_case_sensitive;
  if (in.same_site_cookie_attribute) {
    if (!*in.same_site_cookie_attribute) {
      a.same_site_cookie_attribute.reset();
    } else {
      auto v = parse_same_site(**in.same_site_cookie_attribute);
      if (!v)
        return bad_request("invalid_same_site", "same_site_cookie_attribute must be \"none\", \"lax\" or \"strict\", got " +
                                                    quoted(**in.same_site_cookie_attribute));
      a.same_site_cookie_attribute = *v;
    }
  }
  if (in.custom_deny_message) {
    auto v = validate_text(*in.custom_deny_message, "custom_deny_message", kMaxDenyMessageChars);
    if (!v) return v.error();
    a.custom_deny_message = std::move(*v);
  }
  if (in.cors_headers_json) a.cors_headers_json = in.cors_headers_json->value_or("");
  if (in.origin) {
    if (in.origin->empty() && a.type == "warp") {
      a.origin.clear();
    } else {
      auto v = validate_origin(*in.origin, "origin");
      if (!v) return v.error();
      a.origin = std::move(*v);
    }
  }
  if (in.origin_timeout) {
    const auto& t = *in.origin_timeout;
    if (t.connect) {
      auto v = origin_timeout(*t.connect, "connect");
      if (!v) return v.error();
      a.origin_timeout.connect = *v;
    }
    if (t.response_header) {
      auto v = origin_timeout(*t.response_header, "response_header");
      if (!v) return v.error();
      a.origin_timeout.response_header = *v;
    }
    if (t.idle) {
      auto v = origin_timeout(*t.idle, "idle");
      if (!v) return v.error();
      a.origin_timeout.idle = *v;
    }
  }
  // What each type needs, after the merge.
  if (a.type == "self_hosted") {
    if (a.domain.empty()) return bad_request("missing_field", "domain is required for a self_hosted application");
    if (a.origin.empty())
      return bad_request("missing_field",
                         "origin is required for a self_hosted application: the URL the edge forwards to, e.g. "
                         "\"http://127.0.0.1:3000\"");
  } else if (!a.origin.empty()) {
    return bad_request("invalid_origin", "origin must not be set on a warp application (it has no upstream)");
  }
  if (creating && a.name.empty()) a.name = a.type == "warp" ? "Warp Login App" : a.domain;
  return {};
}

// Builds the app's new links from `entries`; inline policies become new app-scoped
// policies in `created`.
Result<void> apply_policies(Services& s, App& a, const std::vector<AppPolicyEntry>& entries,
                            std::vector<Policy>& created) {
  if (entries.size() > kMaxPolicies) return bad_request("too_many_policies", "policies has more than 1000 entries");
  const Time now = s.clock.now();
  std::vector<PolicyLink> links;
  std::set<int> precedences;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const std::string field = at("policies", i);
    const int precedence = e.precedence.value_or(static_cast<int>(i) + 1);
    if (precedence < 1)
      return bad_request("invalid_precedence",
                         field + ".precedence must be a whole number of at least 1, got " + std::to_string(precedence));
    if (!precedences.insert(precedence).second)
      return bad_request("duplicate_precedence",
                         field + ".precedence " + std::to_string(precedence) + " is used by an earlier entry");
    if (e.inline_policy) {
      auto p = build_policy(s, a.account_id, a.id, *e.inline_policy, nullptr, field + ".");
      if (!p) return p.error();
      p->id = new_uuid(s.random);
      p->precedence = precedence;
      p->created_at = p->updated_at = now;
      links.push_back(PolicyLink{p->id, precedence});
      ids.insert(p->id);
      created.push_back(std::move(*p));
      continue;
    }
    if (!is_uuid(e.id))
      return bad_request("invalid_policy_reference", field + " must name a policy by its id (a UUID), got " + quoted(e.id));
    if (!ids.insert(e.id).second)
      return bad_request("duplicate_policy", field + ": policy " + e.id + " is listed twice");
    auto found = s.store.find_policy(a.account_id, e.id);
    if (!found) return found.error();
    if (!*found) return bad_request("unknown_policy", field + ": no policy with id " + e.id + " in this account");
    if (!(*found)->app_id.empty() && (*found)->app_id != a.id)
      return bad_request("foreign_policy", field + ": policy " + e.id +
                                               " belongs to another application; only reusable policies can be shared");
    links.push_back(PolicyLink{e.id, precedence});
  }
  std::sort(links.begin(), links.end(), [](const auto& x, const auto& y) { return x.precedence < y.precedence; });
  a.policies = std::move(links);
  return {};
}

// Hostnames are global to the instance: the edge matches a request to one app.
Result<void> check_conflicts(Services& s, const App& a) {
  std::vector<std::string> mine;
  if (!a.domain.empty()) mine.push_back(a.domain);
  for (std::size_t i = 0; i < a.destinations.size(); ++i) {
    if (std::find(mine.begin(), mine.end(), a.destinations[i]) != mine.end())
      return bad_request("duplicate_destination", at("destinations", i) + ".uri " + quoted(a.destinations[i]) +
                                                      " repeats the domain or an earlier destination");
    mine.push_back(a.destinations[i]);
  }
  auto all = s.store.list_all_apps();
  if (!all) return all.error();
  for (const auto& other : *all) {
    if (other.id == a.id) continue;
    const bool same_account = other.account_id == a.account_id;
    if (same_account && a.type == "warp" && other.type == "warp")
      return conflict("warp_app_exists", "this account already has a warp application: " + quoted(other.name) + " (" +
                                             other.id + "); change that one instead");
    for (const auto& pattern : mine) {
      const bool clash = other.domain == pattern ||
                         std::find(other.destinations.begin(), other.destinations.end(), pattern) !=
                             other.destinations.end();
      if (!clash) continue;
      if (same_account)
        return conflict("domain_in_use", quoted(pattern) + " is already protected by application " +
                                             quoted(other.name) + " (" + other.id + ")");
      return conflict("domain_in_use", quoted(pattern) + " is already protected by another account's application");
    }
  }
  return {};
}

std::string json_of(const AppWithPolicies& a) { return serialize(to_json(a)); }

// The view of `a` before it is stored: its links resolved against the policies
// created with it and, for the others, the store.
Result<AppWithPolicies> view_of(Services& s, const App& a, const std::vector<Policy>& created) {
  AppWithPolicies out{a, {}};
  for (const auto& link : a.policies) {
    auto fresh = std::find_if(created.begin(), created.end(), [&](const Policy& p) { return p.id == link.policy_id; });
    std::optional<Policy> p;
    if (fresh != created.end()) {
      p = *fresh;
    } else {
      auto found = s.store.find_policy(a.account_id, link.policy_id);
      if (!found) return found.error();
      p = std::move(*found);
    }
    if (!p) continue;
    p->precedence = link.precedence;
    out.policies.push_back(std::move(*p));
  }
  return out;
}

// Load, change, store with the updated_at check; re-applied when another writer won.
template <class Change>
Result<AppWithPolicies> modify_app(Services& s, std::string_view account_id, std::string_view id, Change&& change) {
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    auto before = get_app(s, account_id, id);
    if (!before) return before.error();
    App after = before->app;
    std::vector<Policy> created;
    auto event = change(after, created, *before);
    if (!event) return event.error();
    if (!*event) return std::move(*before);  // nothing to change
    auto stored = s.store.update_app(after, before->app.updated_at, created, **event);
    if (!stored) return stored.error();
    if (*stored) {
      s.notify_changed();
      return load_app_policies(s, std::move(after));
    }
  }
  return concurrent_update("application");
}

}  // namespace

Result<AppWithPolicies> load_app_policies(Services& s, App app) {
  AppWithPolicies out{std::move(app), {}};
  for (const auto& link : out.app.policies) {
    auto p = s.store.find_policy(out.app.account_id, link.policy_id);
    if (!p) return p.error();
    if (!*p) continue;  // deleted between the two reads; the next read will not link it
    (*p)->precedence = link.precedence;
    out.policies.push_back(std::move(**p));
  }
  return out;
}

Result<AppWithPolicies> create_app(Services& s, const Actor& actor, std::string_view account_id, const AppInput& in) {
  App a;
  a.account_id = std::string(account_id);
  if (!in.type) return bad_request("missing_field", "type is required: \"self_hosted\" or \"warp\"");
  if (*in.type != "self_hosted" && *in.type != "warp")
    return bad_request("unsupported_app_type", "type " + quoted(*in.type) +
                                                   " is not supported; Gatehouse supports \"self_hosted\" and \"warp\"");
  a.type = *in.type;
  a.id = new_uuid(s.random);
  a.aud = new_hex(s.random, 32);
  if (auto r = apply_fields(a, in, true); !r) return r.error();
  std::vector<Policy> created;
  if (in.policies)
    if (auto r = apply_policies(s, a, *in.policies, created); !r) return r.error();
  if (auto r = check_conflicts(s, a); !r) return r.error();
  a.created_at = a.updated_at = s.clock.now();
  for (auto& p : created) p.created_at = p.updated_at = a.created_at;
  auto view = view_of(s, a, created);
  if (!view) return view.error();
  auto event = audit_event(s, actor, account_id, "app.create", "access.app", a.id, a.name, "", json_of(*view));
  if (auto r = s.store.insert_app(a, created, event); !r) return r.error();
  s.notify_changed();
  return view;
}

Result<AppWithPolicies> get_app(Services& s, std::string_view account_id, std::string_view id) {
  auto found = s.store.find_app(account_id, id);
  if (!found) return found.error();
  if (!*found) return app_not_found(id);
  return load_app_policies(s, std::move(**found));
}

Result<PageOf<AppWithPolicies>> list_apps(Services& s, const AppQuery& query) {
  auto found = s.store.list_apps(query);
  if (!found) return found.error();
  PageOf<AppWithPolicies> out;
  out.total_count = found->total_count;
  for (auto& a : found->items) {
    auto v = load_app_policies(s, std::move(a));
    if (!v) return v.error();
    out.items.push_back(std::move(*v));
  }
  return out;
}

Result<AppWithPolicies> update_app(Services& s, const Actor& actor, std::string_view account_id, std::string_view id,
                                   const AppInput& in) {
  return modify_app(s, account_id, id,
                    [&](App& a, std::vector<Policy>& created,
                        const AppWithPolicies& before) -> Result<std::optional<AuditEvent>> {
                      if (in.type && *in.type != a.type)
                        return bad_request("type_change", "type cannot be changed (this application is " +
                                                              quoted(a.type) + "); create a new application instead");
                      if (auto r = apply_fields(a, in, false); !r) return r.error();
                      if (in.policies)
                        if (auto r = apply_policies(s, a, *in.policies, created); !r) return r.error();
                      if (auto r = check_conflicts(s, a); !r) return r.error();
                      if (a == before.app && created.empty()) return std::optional<AuditEvent>();
                      a.updated_at = next_updated_at(s.clock.now(), before.app.updated_at);
                      for (auto& p : created) p.created_at = p.updated_at = a.updated_at;
                      auto after = view_of(s, a, created);
                      if (!after) return after.error();
                      return std::optional<AuditEvent>(audit_event(s, actor, account_id, "app.update", "access.app",
                                                                   a.id, a.name, json_of(before), json_of(*after)));
                    });
}

Result<AppWithPolicies> delete_app(Services& s, const Actor& actor, std::string_view account_id, std::string_view id) {
  auto found = get_app(s, account_id, id);
  if (!found) return found.error();
  auto event = audit_event(s, actor, account_id, "app.delete", "access.app", found->app.id, found->app.name,
                           json_of(*found), "");
  auto deleted = s.store.delete_app(account_id, id, event);
  if (!deleted) return deleted.error();
  if (!*deleted) return app_not_found(id);
  s.notify_changed();
  return std::move(*found);
}

Result<AppWithPolicies> revoke_app_tokens(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id) {
  return modify_app(s, account_id, id,
                    [&](App& a, std::vector<Policy>&, const AppWithPolicies& before) -> Result<std::optional<AuditEvent>> {
                      const Time now = s.clock.now();
                      a.tokens_revoked_before = now;
                      a.updated_at = next_updated_at(now, before.app.updated_at);
                      AppWithPolicies after{a, before.policies};
                      return std::optional<AuditEvent>(audit_event(s, actor, account_id, "app.revoke_tokens",
                                                                   "access.app", a.id, a.name, json_of(before),
                                                                   json_of(after)));
                    });
}

}  // namespace gatehouse
