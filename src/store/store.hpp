#pragma once
// The persistence interface. Every mutating call is one transaction that also records
// its audit event: a successful return means both are durable. Implementations:
// SqliteStore (embedded default); a PostgreSQL backend plugs in behind the same
// interface and must pass tests/unit/store_conformance.
#include "core/account.hpp"
#include "core/error.hpp"
#include "core/service_token.hpp"

#include <cstdint>
#include <optional>
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

  // Audit log, newest first.
  virtual Result<PageOf<AuditEvent>> list_audit_events(std::string_view account_id, PageRequest page) = 0;
};

}  // namespace gatehouse
