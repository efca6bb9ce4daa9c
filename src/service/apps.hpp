#pragma once
// Access applications (compat.md §1.3, §3 origin): validation, one transaction per
// change with its audit event, notify_changed() after each change.
//
// Changes merge: a field that is absent keeps its stored value (so a PUT that only
// renames keeps the policies); `policies` given replaces the whole ordered list.
#include "core/app.hpp"
#include "service/policies.hpp"
#include "service/services.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gatehouse {

// One entry of an app's ordered `policies`: a link to an existing policy (a
// reusable one, or one of this app's own), or an inline policy that becomes a new
// app-scoped policy. Precedence defaults to the entry's 1-based position.
struct AppPolicyEntry {
  std::string id;
  std::optional<int> precedence;
  std::optional<PolicyInput> inline_policy;
};

struct OriginTimeoutInput {
  std::optional<Duration> connect;
  std::optional<Duration> response_header;
  std::optional<Duration> idle;
};

struct AppInput {
  std::optional<std::string> type;  // create: required, "self_hosted" or "warp"
  std::optional<std::string> name;
  std::optional<std::string> domain;
  std::optional<std::vector<std::string>> destinations;  // public destination URIs
  std::optional<Duration> session_duration;
  std::optional<std::vector<AppPolicyEntry>> policies;
  std::optional<std::string> read_service_tokens_from_header;  // "" = off
  std::optional<bool> service_auth_401_redirect;
  std::optional<bool> http_only_cookie_attribute;
  std::optional<std::optional<std::string>> same_site_cookie_attribute;  // inner empty: unset
  std::optional<bool> path_cookie_attribute;
  std::optional<std::string> custom_deny_message;
  std::optional<std::optional<std::string>> cors_headers_json;  // an object, serialised; inner empty: none
  std::optional<bool> options_preflight_bypass;
  std::optional<bool> path_case_sensitive;
  std::optional<std::string> origin;
  std::optional<OriginTimeoutInput> origin_timeout;
};

// An app with the policies it links, in precedence order, each carrying the link's
// precedence.
struct AppWithPolicies {
  App app;
  std::vector<Policy> policies;
};

Result<AppWithPolicies> create_app(Services& s, const Actor& actor, std::string_view account_id, const AppInput& in);
Result<AppWithPolicies> get_app(Services& s, std::string_view account_id, std::string_view id);
Result<PageOf<AppWithPolicies>> list_apps(Services& s, const AppQuery& query);
Result<AppWithPolicies> update_app(Services& s, const Actor& actor, std::string_view account_id, std::string_view id,
                                   const AppInput& in);
// Deletes the app, its links and its app-scoped policies; returns what was deleted.
Result<AppWithPolicies> delete_app(Services& s, const Actor& actor, std::string_view account_id, std::string_view id);
// Records now as the app's tokens_revoked_before: the edge refuses every JWT for this
// app issued before it (credentials can be exchanged for a new one).
Result<AppWithPolicies> revoke_app_tokens(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id);

// The app with its linked policies loaded (helper for the policy endpoints too).
Result<AppWithPolicies> load_app_policies(Services& s, App app);

}  // namespace gatehouse
