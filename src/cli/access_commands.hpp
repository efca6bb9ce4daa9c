#pragma once
// `gatehouse app …`, `gatehouse policy …`, `gatehouse org …`: Access applications,
// policies and the organization through the admin API (compat.md §1.3, §1.4).
#include "cli/commands.hpp"

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gatehouse::cli {

struct AppOptions {
  std::string ref;  // id, exact name or domain
  std::optional<std::string> name, type, domain, origin, session_duration, same_site, token_header, deny_message;
  std::vector<std::string> destinations;  // replaces the list when given
  bool clear_destinations = false;
  std::vector<std::string> policies;  // ordered: ids or names of reusable policies; replaces the list
  bool clear_policies = false;
  std::optional<bool> service_auth_401_redirect, http_only, path_cookie, options_preflight_bypass,
      path_case_sensitive;
};

struct PolicyOptions {
  std::string ref;  // id or exact name
  std::string app;  // --app: the app-scoped policies of this app
  std::optional<std::string> name, decision, session_duration;
  std::vector<std::string> include, exclude, require;  // TYPE[=VALUE]; each replaces its list when given
  bool clear_exclude = false, clear_require = false;
  std::optional<int> precedence;
};

struct OrgOptions {
  std::optional<std::string> name, auth_domain, session_duration, inactivity_action;
  std::optional<bool> strict, inactivity_enabled;
  std::optional<int> inactivity_days;
};

int app_command(const std::string& verb, const ApiOptions& api, const AppOptions& o);
int policy_command(const std::string& verb, const ApiOptions& api, const PolicyOptions& o);
int org_command(const std::string& verb, const ApiOptions& api, const OrgOptions& o);

// Registers the three command groups on `app`; `api` holds the shared connection
// options, `rc` receives the exit code.
void add_access_commands(CLI::App& app, ApiOptions& api, int& rc);

}  // namespace gatehouse::cli
