#pragma once
// The persistence interface. Every mutating call is one transaction that also records
// its audit event: a successful return means both are durable. Implementations:
// SqliteStore (embedded default); a PostgreSQL backend plugs in behind the same
// interface and must pass tests/unit/store_conformance.
#include "core/account.hpp"
#include "core/app.hpp"
#include "core/error.hpp"
#include "core/policy.hpp"
#include "core/service_token.hpp"
#include "store/edge_token_row.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

template <class T>
struct PageOf {
  std::vector<T> items;
  std::int64_t total_count = 0;
};

struct PageRequest {
  int page = 1;       // 1-based
  int per_page = 20;  // 1..1000
};

struct ServiceTokenQuery {
  std::string account_id;
  std::optional<std::string> name;    // exact match
  std::optional<std::string> search;  // substring of name or client_id
  PageRequest page;
};

struct AppQuery {
  std::string account_id;
  std::optional<std::string> name;    // exact match
  std::optional<std::string> domain;  // exact match on the (normalised) domain
  std::optional<std::string> aud;     // exact match
  std::optional<std::string> search;  // substring of name or domain
  PageRequest page;
};

// Audit log filters (GET …/audit_logs); unset = any.
struct AuditQuery {
  std::string account_id;
  std::optional<std::string> action;         // exact, e.g. "service_token.disable"
  std::optional<std::string> resource_type;  // exact, e.g. "access.service_token"
  std::optional<std::string> resource_id;    // exact
  std::optional<std::string> resource_name;  // exact
  std::optional<std::string> actor;          // actor id or name, exact
  std::optional<Time> since;                 // inclusive
  std::optional<Time> until;                 // inclusive
  bool ascending = false;                    // default newest first
  PageRequest page;
};

struct PolicyQuery {
  std::string account_id;
  std::string app_id;  // "" = the account's reusable policies; else that app's own
  PageRequest page;
};

// Enough to name an app in a message (e.g. "policy in use by …").
struct AppRef {
  std::string id;
  std::string name;
  friend bool operator==(const AppRef&, const AppRef&) = default;
};

class Store {
 public:
  virtual ~Store() = default;

  // Accounts.
  virtual Result<std::vector<Account>> list_accounts() = 0;
  virtual Result<std::optional<Account>> find_account(std::string_view id) = 0;
  virtual Result<void> create_account(const Account& account, const AuditEvent& event) = 0;

  // API tokens.
  virtual Result<void> create_api_token(const ApiToken& token, const AuditEvent& event) = 0;
  virtual Result<std::optional<ApiToken>> find_api_token_by_hash(std::string_view token_hash) = 0;
  virtual Result<std::optional<ApiToken>> find_api_token(std::string_view account_id, std::string_view id) = 0;
  virtual Result<std::vector<ApiToken>> list_api_tokens(std::string_view account_id) = 0;
  // Sets revoked_at; false when there is no such (unrevoked) token.
  virtual Result<bool> revoke_api_token(std::string_view account_id, std::string_view id, Time when,
                                        const AuditEvent& event) = 0;

  // Service tokens.
  virtual Result<void> insert_service_token(const ServiceToken& token, const AuditEvent& event) = 0;
  // Stores `token` if the stored revision is still `token.revision - 1`: false (and
  // nothing written) when another change got there first or the token is gone.
  virtual Result<bool> update_service_token(const ServiceToken& token, const AuditEvent& event) = 0;
  virtual Result<bool> delete_service_token(std::string_view account_id, std::string_view id,
                                            const AuditEvent& event) = 0;
  virtual Result<std::optional<ServiceToken>> find_service_token(std::string_view account_id,
                                                                 std::string_view id) = 0;
  virtual Result<std::optional<ServiceToken>> find_service_token_by_client_id(std::string_view client_id) = 0;
  // Ordered by creation (oldest first), then id.
  virtual Result<PageOf<ServiceToken>> list_service_tokens(const ServiceTokenQuery& query) = 0;
  virtual Result<std::int64_t> count_service_tokens(std::string_view account_id) = 0;

  // ---- Access applications (compat.md §1.3)
  //
  // Invariants kept by every backend:
  // - `aud` is unique over the instance; `policies` (the links) are returned in
  //   ascending precedence; precedences are unique within an app.
  // - A link names a policy of the same account: a reusable one, or one scoped to
  //   this app. An app-scoped policy exists exactly while its app links it: removing
  //   the link (update_app) or the app (delete_app) deletes the policy too. Its
  //   `precedence` is always its link's.
  // - Times use `updated_at` as the optimistic-concurrency token: update_* stores
  //   only if the stored `updated_at` still equals `expected_updated_at` (callers
  //   make the new `updated_at` strictly later), else returns false.

  // Inserts the app, its links, and `new_app_policies` (app-scoped policies created
  // with it, which its links may name).
  virtual Result<void> insert_app(const App& app, std::span<const Policy> new_app_policies,
                                  const AuditEvent& event) = 0;
  virtual Result<bool> update_app(const App& app, Time expected_updated_at, std::span<const Policy> new_app_policies,
                                  const AuditEvent& event) = 0;
  // Deletes the app, its links and its app-scoped policies.
  virtual Result<bool> delete_app(std::string_view account_id, std::string_view id, const AuditEvent& event) = 0;
  virtual Result<std::optional<App>> find_app(std::string_view account_id, std::string_view id) = 0;
  // Ordered by creation (oldest first), then id.
  virtual Result<PageOf<App>> list_apps(const AppQuery& query) = 0;

  // ---- Access policies
  // An app-scoped policy (app_id set) is linked to its app at `precedence` by
  // insert_policy, and update_policy moves that link to the new `precedence`.
  virtual Result<void> insert_policy(const Policy& policy, const AuditEvent& event) = 0;
  virtual Result<bool> update_policy(const Policy& policy, Time expected_updated_at, const AuditEvent& event) = 0;
  // False when there is no such policy. A reusable policy that an app still links is
  // not deleted: 409 "policy_in_use" (callers name the apps first, see below).
  virtual Result<bool> delete_policy(std::string_view account_id, std::string_view id, const AuditEvent& event) = 0;
  virtual Result<std::optional<Policy>> find_policy(std::string_view account_id, std::string_view id) = 0;
  // Ordered by creation (oldest first), then id.
  virtual Result<PageOf<Policy>> list_policies(const PolicyQuery& query) = 0;
  // The apps whose links name this policy, oldest first.
  virtual Result<std::vector<AppRef>> apps_linking_policy(std::string_view account_id, std::string_view policy_id) = 0;

  // ---- Organizations: one per account
  virtual Result<std::optional<Organization>> find_organization(std::string_view account_id) = 0;
  // False (nothing written) when the account already has one.
  virtual Result<bool> insert_organization(const Organization& org, const AuditEvent& event) = 0;
  virtual Result<bool> update_organization(const Organization& org, Time expected_updated_at,
                                           const AuditEvent& event) = 0;

  // ---- Signing keys (the private key only ever encrypted)
  virtual Result<void> insert_signing_key(const StoredSigningKey& key, const AuditEvent& event) = 0;
  // Oldest first.
  virtual Result<std::vector<StoredSigningKey>> list_signing_keys(std::string_view account_id) = 0;
  // Sets retired_at; false when there is no such key or it is already retired.
  virtual Result<bool> retire_signing_key(std::string_view account_id, std::string_view kid, Time when,
                                          const AuditEvent& event) = 0;
  virtual Result<bool> delete_signing_key(std::string_view account_id, std::string_view kid,
                                          const AuditEvent& event) = 0;

  // ---- Snapshot loaders for the edge: every account, no paging.
  virtual Result<std::vector<App>> list_all_apps() = 0;                    // by creation, then id
  virtual Result<std::vector<Policy>> list_all_policies() = 0;             // by creation, then id
  virtual Result<std::vector<Organization>> list_organizations() = 0;      // by account id
  virtual Result<std::vector<StoredSigningKey>> list_all_signing_keys() = 0;     // by creation, then kid
  virtual Result<std::vector<ServiceToken>> list_all_service_tokens() = 0; // by creation, then id
  // Every service token, lean and in no particular order (store/edge_token_row.hpp).
  // The default goes through list_all_service_tokens; SqliteStore reads only the
  // columns the edge needs.
  virtual Result<void> scan_edge_tokens(EdgeTokenVisitor& visitor) {
    auto tokens = list_all_service_tokens();
    if (!tokens) return tokens.error();
    visitor.expect(tokens->size());
    for (const auto& t : *tokens) visitor.row(edge_token_row(t));
    return {};
  }

  // Audit log, newest first.
  virtual Result<PageOf<AuditEvent>> list_audit_events(std::string_view account_id, PageRequest page) = 0;
  // Audit log with filters, in the order asked for (ties by insertion order).
  virtual Result<PageOf<AuditEvent>> query_audit_events(const AuditQuery& query) = 0;
};

}  // namespace gatehouse
