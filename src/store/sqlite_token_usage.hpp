#pragma once
// Last use of service tokens (compat.md §3): service_tokens.last_seen_at and the
// component table token_usage (one row per token and secret version). Written only by
// the edge's last-seen flusher (audit/access_log.hpp), in batches; read with the token.
//
// Writes touch only these columns — never revision or updated_at — so they neither
// conflict with admin updates (optimistic revision check) nor count as a change (no
// audit event, no snapshot rebuild). Times only move forward: a late or reordered
// batch cannot make a token look older than it is.
#include "core/service_token.hpp"
#include "store/sqlite_store.hpp"

#include <span>
#include <string>
#include <string_view>

namespace gatehouse {

struct TokenUse {
  std::string token_id;
  int client_secret_version = 0;  // 0: a JWT (token-level last_seen_at only)
  Time at{};
};

// The steps of component "token_usage"; SqliteStore::open applies them, since every
// token read joins this table.
std::span<const std::string_view> token_usage_migrations();

// One transaction for the whole batch. Uses of tokens deleted meanwhile are skipped.
Result<void> record_token_usage(SqliteStore& store, std::span<const TokenUse> uses);

namespace sqlite {
// Fills t.secret_last_seen. The caller holds the store's mutex.
Result<void> load_token_usage(sqlite3* db, ServiceToken& t);
}  // namespace sqlite

}  // namespace gatehouse
