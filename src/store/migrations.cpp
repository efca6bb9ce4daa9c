#include "store/migrations.hpp"

namespace gatehouse {
namespace {

// Times are INTEGER microseconds since the Unix epoch (UTC); NULL = none.
constexpr std::string_view kMigrations[] = {
    // 1: accounts, API tokens, service tokens, audit log.
    R"sql(
CREATE TABLE accounts (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  scope      TEXT NOT NULL CHECK (scope IN ('read', 'edit')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_by_account ON api_tokens(account_id, created_at);
CREATE TABLE service_tokens (
  id                                TEXT PRIMARY KEY,
  account_id                        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name                              TEXT NOT NULL,
  client_id                         TEXT NOT NULL UNIQUE,
  duration                          TEXT NOT NULL,
  duration_ns                       INTEGER,
  enabled                           INTEGER NOT NULL,
  expires_at                        INTEGER,
  created_at                        INTEGER NOT NULL,
  updated_at                        INTEGER NOT NULL,
  last_seen_at                      INTEGER,
  secret_hash                       TEXT NOT NULL,
  client_secret_version             INTEGER NOT NULL,
  previous_secret_hash              TEXT,
  previous_client_secret_expires_at INTEGER,
  revision                          INTEGER NOT NULL
);
CREATE INDEX service_tokens_by_account ON service_tokens(account_id, created_at, id);
CREATE TABLE audit_events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,
  account_id    TEXT NOT NULL,
  at            INTEGER NOT NULL,
  actor_type    TEXT NOT NULL,
  actor_id      TEXT NOT NULL,
  actor_name    TEXT NOT NULL,
  action        TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  resource_name TEXT NOT NULL,
  before_json   TEXT NOT NULL,
  after_json    TEXT NOT NULL,
  interface     TEXT NOT NULL
);
CREATE INDEX audit_events_by_account ON audit_events(account_id, seq);
)sql",
};

}  // namespace

std::span<const std::string_view> sqlite_migrations() { return kMigrations; }

}  // namespace gatehouse
