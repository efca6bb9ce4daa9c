// The command lines of `gatehouse app|policy|org` (CLI11 wiring only).
#include "cli/access_commands.hpp"

#include <CLI/CLI.hpp>

#include <memory>

namespace gatehouse::cli {

namespace {

CLI::App* group(CLI::App& app, ApiOptions& api, const char* name, const char* help) {
  auto* g = app.add_subcommand(name, help);
  g->require_subcommand(1);
  g->fallthrough();
  g->add_option("--addr", api.addr, "Admin API address (env GATEHOUSE_ADDR; default http://127.0.0.1:9000)");
  g->add_option("--api-token", api.api_token, "Admin API token (env GATEHOUSE_TOKEN)");
  g->add_option("--account", api.account, "Account id (env GATEHOUSE_ACCOUNT; default: the API token's account)");
  g->add_flag("--json", api.json, "Print JSON instead of text");
  return g;
}

void app_fields(CLI::App* c, AppOptions& o) {
  c->add_option("--name", o.name, "Name (default: the domain)");
  c->add_option("--domain", o.domain, "Protected host and optional path: app.example.com, *.example.com, a.example.com/api");
  c->add_option("--origin", o.origin, "Upstream URL the edge forwards to, e.g. http://127.0.0.1:3000");
  c->add_option("--destination", o.destinations, "Further host/path protected by this app (repeatable; replaces the list)");
  c->add_option("--policy", o.policies,
                "Reusable policy by id or name, in order of precedence (repeatable; replaces the list)");
  c->add_option("--session-duration", o.session_duration, "JWT/session lifetime, Go duration (default 24h)");
  c->add_option("--same-site", o.same_site, "SameSite of the CF_Authorization cookie: none, lax or strict");
  c->add_option("--read-service-tokens-from-header", o.token_header,
                "Header holding {\"cf-access-client-id\",\"cf-access-client-secret\"} JSON (\"\" turns it off)");
  c->add_option("--custom-deny-message", o.deny_message, "Text shown when access is denied");
  c->add_option("--service-auth-401-redirect", o.service_auth_401_redirect, "true: answer 401 instead of 403");
  c->add_option("--http-only-cookie", o.http_only, "true|false: HttpOnly on the cookie (default true)");
  c->add_option("--path-cookie", o.path_cookie, "true|false: scope the cookie to the app's path");
  c->add_option("--options-preflight-bypass", o.options_preflight_bypass, "true|false: let CORS preflights through");
  c->add_option("--path-case-sensitive", o.path_case_sensitive,
                "true|false: match the domain's path prefix with case (default false: /ADMIN is /admin)");
}

void policy_fields(CLI::App* c, PolicyOptions& o) {
  c->add_option("--name", o.name, "Name of the policy");
  c->add_option("--decision", o.decision, "allow, deny, service_auth (= non_identity) or bypass");
  c->add_option("--include", o.include,
                "Rule (OR): service_token=ID|NAME, any_valid_service_token, everyone, ip=CIDR, email=ADDR, "
                "email_domain=DOMAIN, common_name=CN (repeatable)");
  c->add_option("--exclude", o.exclude, "Rule that excludes (NOT), same syntax (repeatable)");
  c->add_option("--require", o.require, "Rule that must also match (AND), same syntax (repeatable)");
  c->add_option("--precedence", o.precedence, "Order within the app (app-scoped policies)");
  c->add_option("--session-duration", o.session_duration, "Session lifetime for this policy (Go duration; none clears)");
}

}  // namespace

void add_access_commands(CLI::App& app, ApiOptions& api, int& rc) {
  // The option storage lives as long as the callbacks that read it.
  auto ao = std::make_shared<AppOptions>();
  auto po = std::make_shared<PolicyOptions>();
  auto oo = std::make_shared<OrgOptions>();

  auto* apps = group(app, api, "app", "Manage Access applications (protected hosts) through the admin API");
  auto app_verb = [&, ao](const char* name, const char* help, bool needs_ref) {
    auto* c = apps->add_subcommand(name, help);
    if (needs_ref) c->add_option("app", ao->ref, "Application id, exact name or domain")->required();
    c->callback([&rc, &api, ao, name] { rc = app_command(name, api, *ao); });
    return c;
  };
  auto* a_create = app_verb("create", "Protect a host: create a self_hosted (or warp) application", false);
  a_create->add_option("name", ao->ref, "Name (or --name)");
  a_create->add_option("--type", ao->type, "self_hosted (default) or warp (device enrollment)");
  app_fields(a_create, *ao);
  app_verb("list", "List applications", false);
  app_verb("show", "Show one application and its policies", true);
  auto* a_edit = app_verb("edit", "Change an application (only the options given)", true);
  app_fields(a_edit, *ao);
  a_edit->add_flag("--clear-destinations", ao->clear_destinations, "Remove every destination");
  a_edit->add_flag("--clear-policies", ao->clear_policies, "Remove every policy (app-scoped ones are deleted)");
  app_verb("delete", "Delete an application (and its app-scoped policies)", true);
  app_verb("revoke-tokens", "Refuse every JWT issued for this application until now", true);

  auto* policies = group(app, api, "policy", "Manage Access policies (reusable, or --app for app-scoped) through the admin API");
  auto policy_verb = [&, po](const char* name, const char* help, bool needs_ref) {
    auto* c = policies->add_subcommand(name, help);
    if (needs_ref) c->add_option("policy", po->ref, "Policy id or exact name")->required();
    c->add_option("--app", po->app, "The application whose own policies to address (id, name or domain)");
    c->callback([&rc, &api, po, name] { rc = policy_command(name, api, *po); });
    return c;
  };
  auto* p_create = policy_verb("create", "Create a policy (reusable unless --app is given)", false);
  p_create->add_option("name", po->ref, "Name (or --name)");
  policy_fields(p_create, *po);
  policy_verb("list", "List reusable policies (or an app's policies with --app)", false);
  policy_verb("show", "Show one policy", true);
  auto* p_edit = policy_verb("edit", "Change a policy (only the options given; a rule list given replaces it)", true);
  policy_fields(p_edit, *po);
  p_edit->add_flag("--clear-exclude", po->clear_exclude, "Remove every exclude rule");
  p_edit->add_flag("--clear-require", po->clear_require, "Remove every require rule");
  policy_verb("delete", "Delete a policy (a reusable one only when no application uses it)", true);

  auto* orgs = group(app, api, "org", "Show and change the Access organization (team domain, sessions, token inactivity)");
  orgs->add_subcommand("show", "Show the organization")->callback([&rc, &api, oo] { rc = org_command("show", api, *oo); });
  auto* o_edit = orgs->add_subcommand("edit", "Change the organization (only the options given)");
  o_edit->add_option("--name", oo->name, "Name");
  o_edit->add_option("--auth-domain", oo->auth_domain, "Team domain; JWT iss is https://<auth-domain>");
  o_edit->add_option("--session-duration", oo->session_duration, "Default session lifetime (Go duration)");
  o_edit->add_option("--strict-service-token-auth", oo->strict, "true|false: no cookies, credentials on every request");
  o_edit->add_option("--inactivity-enabled", oo->inactivity_enabled, "true|false: act on service tokens unused for a while");
  o_edit->add_option("--inactivity-days", oo->inactivity_days, "Days without use before acting (30-365)");
  o_edit->add_option("--inactivity-action", oo->inactivity_action, "disable or delete");
  o_edit->callback([&rc, &api, oo] { rc = org_command("edit", api, *oo); });
}

}  // namespace gatehouse::cli
