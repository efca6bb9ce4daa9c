#include "service/policies.hpp"

#include "core/ids.hpp"
#include "service/access_audit.hpp"
#include "service/access_json.hpp"
#include "service/access_validation.hpp"
#include "service/apps.hpp"
#include "service/json_views.hpp"

#include <algorithm>
#include <limits>

namespace gatehouse {

using namespace access_detail;

namespace {

constexpr int kMaxRulesPerList = 1000;

std::string quoted(std::string_view s) { return "\"" + std::string(s.substr(0, 64)) + "\""; }

Error policy_not_found(std::string_view id, std::string_view app_id) {
  return not_found("policy_not_found", "no " + std::string(app_id.empty() ? "reusable policy" : "policy of this application") +
                                           " with id " + quoted(id) + " in this account");
}

Result<void> validate_rule(Services& s, std::string_view account_id, Rule& rule, const std::string& field) {
  switch (rule.kind) {
    case Rule::Kind::service_token: {
      const std::string f = field + ".service_token.token_id";
      if (!is_uuid(rule.value))
        return bad_request("invalid_rule", f + " must be the id (a UUID) of a service token, got " + quoted(rule.value));
      auto token = s.store.find_service_token(account_id, rule.value);
      if (!token) return token.error();
      if (!*token)
        return bad_request("unknown_service_token", f + ": no service token with id " + quoted(rule.value) +
                                                        " in this account");
      return {};
    }
    case Rule::Kind::ip: {
      auto v = validate_cidr(rule.value, field + ".ip.ip");
      if (!v) return v.error();
      return {};
    }
    case Rule::Kind::email: {
      auto v = validate_email(rule.value, field + ".email.email");
      if (!v) return v.error();
      rule.value = std::move(*v);
      return {};
    }
    case Rule::Kind::email_domain: {
      auto v = validate_dns_name(rule.value, field + ".email_domain.domain");
      if (!v) return v.error();
      rule.value = std::move(*v);
      return {};
    }
    case Rule::Kind::common_name: {
      auto v = validate_name(rule.value, field + ".common_name.common_name");
      if (!v) return v.error();
      return {};
    }
    case Rule::Kind::any_valid_service_token:
    case Rule::Kind::everyone: rule.value.clear(); return {};
  }
  return {};
}

Result<std::vector<Rule>> validate_rules(Services& s, std::string_view account_id, std::vector<Rule> rules,
                                         const std::string& field) {
  if (rules.size() > kMaxRulesPerList)
    return bad_request("too_many_rules", field + " has more than " + std::to_string(kMaxRulesPerList) + " rules");
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (auto r = validate_rule(s, account_id, rules[i], field + "[" + std::to_string(i) + "]"); !r) return r.error();
  return rules;
}

// The precedence a new app-scoped policy gets, or a 400 when `wanted` is taken.
Result<int> app_precedence(const App& app, std::optional<int> wanted, std::string_view self_id,
                           std::string_view field) {
  if (!wanted) {
    int max = 0;
    for (const auto& l : app.policies) max = std::max(max, l.precedence);
    if (max == std::numeric_limits<int>::max())
      return bad_request("invalid_precedence", std::string(field) + "precedence: no free precedence after the last one");
    return max + 1;
  }
  for (const auto& l : app.policies)
    if (l.precedence == *wanted && l.policy_id != self_id)
      return bad_request("precedence_in_use", std::string(field) + "precedence " + std::to_string(*wanted) +
                                                  " is already used on this application by policy " + l.policy_id);
  return *wanted;
}

Result<App> find_app_or_404(Services& s, std::string_view account_id, std::string_view app_id) {
  auto app = s.store.find_app(account_id, app_id);
  if (!app) return app.error();
  if (!*app)
    return not_found("app_not_found", "no application with id " + quoted(app_id) + " in this account");
  return std::move(**app);
}

// The policy as seen from `app_id`'s endpoints ("" = the reusable ones). Inside an
// app, a linked reusable policy is visible too, with the link's precedence.
Result<PolicyWithApps> visible_policy(Services& s, std::string_view account_id, std::string_view app_id,
                                      std::string_view id, const App* app) {
  auto found = s.store.find_policy(account_id, id);
  if (!found) return found.error();
  if (!*found) return policy_not_found(id, app_id);
  Policy p = std::move(**found);
  if (app_id.empty()) {
    if (!p.app_id.empty()) return policy_not_found(id, app_id);
  } else if (p.app_id != app_id) {
    const auto link = std::find_if(app->policies.begin(), app->policies.end(),
                                   [&](const PolicyLink& l) { return l.policy_id == p.id; });
    if (!p.app_id.empty() || link == app->policies.end()) return policy_not_found(id, app_id);
    p.precedence = link->precedence;
  }
  auto apps = s.store.apps_linking_policy(account_id, p.id);
  if (!apps) return apps.error();
  return PolicyWithApps{std::move(p), std::move(*apps)};
}

Error shared_policy_via_app(const Policy& p) {
  return bad_request("reusable_policy",
                     "policy " + quoted(p.name) + " is a reusable policy shared between applications: change it at "
                     "/accounts/{account_id}/access/policies/" + p.id +
                         ", or remove it from this application's `policies`");
}

std::string json_of(const PolicyWithApps& p) { return serialize(to_json(p)); }

}  // namespace

Result<Policy> build_policy(Services& s, std::string_view account_id, std::string_view app_id, const PolicyInput& in,
                            const Policy* base, std::string_view field_prefix) {
  const std::string f(field_prefix);
  Policy p = base ? *base : Policy{};
  p.account_id = std::string(account_id);
  p.app_id = std::string(app_id);
  if (in.name) {
    auto name = validate_name(*in.name, f + "name");
    if (!name) return name.error();
    p.name = std::move(*name);
  } else if (!base) {
    return bad_request("missing_field", f + "name is required (1 to 256 characters)");
  }
  if (in.decision) p.decision = *in.decision;
  else if (!base)
    return bad_request("missing_field", f + "decision is required (allow, deny, non_identity or bypass)");
  if (in.include) {
    if (in.include->empty())
      return bad_request("missing_include", f + "include must have at least one rule (rules in include are OR-ed)");
    auto rules = validate_rules(s, account_id, *in.include, f + "include");
    if (!rules) return rules.error();
    p.include = std::move(*rules);
  } else if (!base) {
    return bad_request("missing_include", f + "include is required and must have at least one rule");
  }
  if (in.exclude) {
    auto rules = validate_rules(s, account_id, *in.exclude, f + "exclude");
    if (!rules) return rules.error();
    p.exclude = std::move(*rules);
  }
  if (in.require) {
    auto rules = validate_rules(s, account_id, *in.require, f + "require");
    if (!rules) return rules.error();
    p.require = std::move(*rules);
  }
  if (in.precedence) {
    if (*in.precedence < 1)
      return bad_request("invalid_precedence", f + "precedence must be a whole number of at least 1, got " +
                                                   std::to_string(*in.precedence));
    p.precedence = *in.precedence;
  }
  if (in.session_duration) {
    if (*in.session_duration) {
      auto d = validate_session_duration(**in.session_duration, f + "session_duration");
      if (!d) return d.error();
      p.session_duration = std::move(*d);
    } else {
      p.session_duration.reset();
    }
  }
  return p;
}

Result<PolicyWithApps> create_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view app_id, const PolicyInput& in) {
  std::optional<App> app;
  if (!app_id.empty()) {
    auto found = find_app_or_404(s, account_id, app_id);
    if (!found) return found.error();
    app = std::move(*found);
  }
  auto built = build_policy(s, account_id, app_id, in, nullptr);
  if (!built) return built.error();
  Policy p = std::move(*built);
  p.id = new_uuid(s.random);
  p.created_at = p.updated_at = s.clock.now();
  if (app) {
    auto precedence = app_precedence(*app, in.precedence, p.id, "");
    if (!precedence) return precedence.error();
    p.precedence = *precedence;
  }
  PolicyWithApps out{std::move(p), {}};
  if (app) out.apps.push_back(AppRef{app->id, app->name});
  auto event = audit_event(s, actor, account_id, "policy.create", "access.policy", out.policy.id, out.policy.name, "",
                           json_of(out));
  if (auto r = s.store.insert_policy(out.policy, event); !r) return r.error();
  s.notify_changed();
  return out;
}

Result<PolicyWithApps> get_policy(Services& s, std::string_view account_id, std::string_view app_id,
                                  std::string_view id) {
  std::optional<App> app;
  if (!app_id.empty()) {
    auto found = find_app_or_404(s, account_id, app_id);
    if (!found) return found.error();
    app = std::move(*found);
  }
  return visible_policy(s, account_id, app_id, id, app ? &*app : nullptr);
}

Result<PageOf<PolicyWithApps>> list_policies(Services& s, std::string_view account_id, std::string_view app_id,
                                             PageRequest page) {
  PageOf<PolicyWithApps> out;
  if (app_id.empty()) {
    auto found = s.store.list_policies(PolicyQuery{std::string(account_id), "", page});
    if (!found) return found.error();
    out.total_count = found->total_count;
    for (auto& p : found->items) {
      auto apps = s.store.apps_linking_policy(account_id, p.id);
      if (!apps) return apps.error();
      out.items.push_back(PolicyWithApps{std::move(p), std::move(*apps)});
    }
    return out;
  }
  auto app = find_app_or_404(s, account_id, app_id);
  if (!app) return app.error();
  auto linked = load_app_policies(s, std::move(*app));
  if (!linked) return linked.error();
  out.total_count = static_cast<std::int64_t>(linked->policies.size());
  const auto first = static_cast<std::size_t>(page.page - 1) * static_cast<std::size_t>(page.per_page);
  for (std::size_t i = first; i < linked->policies.size() && out.items.size() < static_cast<std::size_t>(page.per_page);
       ++i) {
    auto apps = s.store.apps_linking_policy(account_id, linked->policies[i].id);
    if (!apps) return apps.error();
    out.items.push_back(PolicyWithApps{linked->policies[i], std::move(*apps)});
  }
  return out;
}

Result<PolicyWithApps> update_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view app_id, std::string_view id, const PolicyInput& in) {
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    std::optional<App> app;
    if (!app_id.empty()) {
      auto found = find_app_or_404(s, account_id, app_id);
      if (!found) return found.error();
      app = std::move(*found);
    }
    auto current = visible_policy(s, account_id, app_id, id, app ? &*app : nullptr);
    if (!current) return current.error();
    const PolicyWithApps before = std::move(*current);
    if (app && before.policy.app_id.empty()) return shared_policy_via_app(before.policy);
    auto built = build_policy(s, account_id, before.policy.app_id, in, &before.policy);
    if (!built) return built.error();
    PolicyWithApps after{std::move(*built), before.apps};
    if (app) {
      auto precedence = app_precedence(*app, in.precedence.value_or(before.policy.precedence), id, "");
      if (!precedence) return precedence.error();
      after.policy.precedence = *precedence;
    }
    if (after.policy == before.policy) return before;  // nothing to change, nothing to audit
    after.policy.updated_at = next_updated_at(s.clock.now(), before.policy.updated_at);
    auto event = audit_event(s, actor, account_id, "policy.update", "access.policy", after.policy.id,
                             after.policy.name, json_of(before), json_of(after));
    auto stored = s.store.update_policy(after.policy, before.policy.updated_at, event);
    if (!stored) return stored.error();
    if (*stored) {
      s.notify_changed();
      return after;
    }
  }
  return concurrent_update("policy");
}

Result<PolicyWithApps> delete_policy(Services& s, const Actor& actor, std::string_view account_id,
                                     std::string_view app_id, std::string_view id) {
  auto found = get_policy(s, account_id, app_id, id);
  if (!found) return found.error();
  const PolicyWithApps& p = *found;
  if (!app_id.empty() && p.policy.app_id.empty()) return shared_policy_via_app(p.policy);
  if (p.policy.app_id.empty() && !p.apps.empty()) {
    std::string names;
    for (const auto& a : p.apps) names += (names.empty() ? "" : ", ") + quoted(a.name) + " (" + a.id + ")";
    return conflict("policy_in_use", "policy " + quoted(p.policy.name) + " is used by " +
                                         std::to_string(p.apps.size()) +
                                         (p.apps.size() == 1 ? " application: " : " applications: ") + names +
                                         "; remove it from their policies first");
  }
  auto event = audit_event(s, actor, account_id, "policy.delete", "access.policy", p.policy.id, p.policy.name,
                           json_of(p), "");
  auto deleted = s.store.delete_policy(account_id, id, event);
  if (!deleted) return deleted.error();
  if (!*deleted) return policy_not_found(id, app_id);
  s.notify_changed();
  return std::move(*found);
}

}  // namespace gatehouse
