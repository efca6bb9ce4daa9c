#pragma once
// The embedded default: one SQLite file in WAL mode with synchronous=FULL, so a
// successful return is on disk. Safe to share between threads (calls are serialised)
// and between processes (the CLI writes to the data dir while the server runs).
#include "store/store.hpp"

#include <memory>
#include <mutex>
#include <string>

struct sqlite3;

namespace gatehouse::sqlite {
class GroupCommit;
}

namespace gatehouse {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) and migrates the database at `path`.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  int schema_version();

  Result<std::vector<Account>> list_accounts() override;
  Result<std::optional<Account>> find_account(std::string_view id) override;
  Result<void> create_account(const Account& account, const AuditEvent& event) override;

  Result<void> create_api_token(const ApiToken& token, const AuditEvent& event) override;
  Result<std::optional<ApiToken>> find_api_token_by_hash(std::string_view token_hash) override;
  Result<std::optional<ApiToken>> find_api_token(std::string_view account_id, std::string_view id) override;
  Result<std::vector<ApiToken>> list_api_tokens(std::string_view account_id) override;
  Result<bool> revoke_api_token(std::string_view account_id, std::string_view id, Time when,
                                const AuditEvent& event) override;

  Result<void> insert_service_token(const ServiceToken& token, const AuditEvent& event) override;
  Result<bool> update_service_token(const ServiceToken& token, const AuditEvent& event) override;
  Result<bool> delete_service_token(std::string_view account_id, std::string_view id,
                                    const AuditEvent& event) override;
  Result<std::optional<ServiceToken>> find_service_token(std::string_view account_id,
                                                         std::string_view id) override;
  Result<std::optional<ServiceToken>> find_service_token_by_client_id(std::string_view client_id) override;
  Result<PageOf<ServiceToken>> list_service_tokens(const ServiceTokenQuery& query) override;
  Result<std::int64_t> count_service_tokens(std::string_view account_id) override;

  Result<void> insert_app(const App& app, std::span<const Policy> new_app_policies, const AuditEvent& event) override;
  Result<bool> update_app(const App& app, Time expected_updated_at, std::span<const Policy> new_app_policies,
                          const AuditEvent& event) override;
  Result<bool> delete_app(std::string_view account_id, std::string_view id, const AuditEvent& event) override;
  Result<std::optional<App>> find_app(std::string_view account_id, std::string_view id) override;
  Result<PageOf<App>> list_apps(const AppQuery& query) override;

  Result<void> insert_policy(const Policy& policy, const AuditEvent& event) override;
  Result<bool> update_policy(const Policy& policy, Time expected_updated_at, const AuditEvent& event) override;
  Result<bool> delete_policy(std::string_view account_id, std::string_view id, const AuditEvent& event) override;
  Result<std::optional<Policy>> find_policy(std::string_view account_id, std::string_view id) override;
  Result<PageOf<Policy>> list_policies(const PolicyQuery& query) override;
  Result<std::vector<AppRef>> apps_linking_policy(std::string_view account_id, std::string_view policy_id) override;

  Result<std::optional<Organization>> find_organization(std::string_view account_id) override;
  Result<bool> insert_organization(const Organization& org, const AuditEvent& event) override;
  Result<bool> update_organization(const Organization& org, Time expected_updated_at,
                                   const AuditEvent& event) override;

  Result<void> insert_signing_key(const StoredSigningKey& key, const AuditEvent& event) override;
  Result<std::vector<StoredSigningKey>> list_signing_keys(std::string_view account_id) override;
  Result<bool> retire_signing_key(std::string_view account_id, std::string_view kid, Time when,
                                  const AuditEvent& event) override;
  Result<bool> delete_signing_key(std::string_view account_id, std::string_view kid,
                                  const AuditEvent& event) override;

  Result<std::vector<App>> list_all_apps() override;
  Result<std::vector<Policy>> list_all_policies() override;
  Result<std::vector<Organization>> list_organizations() override;
  Result<std::vector<StoredSigningKey>> list_all_signing_keys() override;
  Result<std::vector<ServiceToken>> list_all_service_tokens() override;
  Result<void> scan_edge_tokens(EdgeTokenVisitor& visitor) override;  // sqlite_edge_tokens.cpp

  Result<PageOf<AuditEvent>> list_audit_events(std::string_view account_id, PageRequest page) override;
  Result<PageOf<AuditEvent>> query_audit_events(const AuditQuery& query) override;  // sqlite_audit_query.cpp

  // For component stores in the same database (store/sqlite_component.hpp): the
  // handle, used only while holding mutex().
  sqlite3* handle() const { return db_; }
  std::mutex& mutex() { return mutex_; }
  // Every audited write goes through it (store/sqlite_tx.hpp in_transaction), WITHOUT
  // holding mutex(): concurrent writes share one transaction and one fsync.
  sqlite::GroupCommit& group_commit() { return *group_; }

 private:
  explicit SqliteStore(sqlite3* db);
  sqlite3* db_;
  std::mutex mutex_;
  std::unique_ptr<sqlite::GroupCommit> group_;
};

}  // namespace gatehouse
