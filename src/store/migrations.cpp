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
    // 2: Access applications, policies and their ordered links, organizations,
    // signing keys. Existing accounts get their organization with the defaults of
    // service/organization.hpp (auth_domain "<first 8 hex of the account id>.gatehouse.internal").
    R"sql(
CREATE TABLE apps (
  id                         TEXT PRIMARY KEY,
  account_id                 TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name                       TEXT NOT NULL,
  type                       TEXT NOT NULL,
  domain                     TEXT NOT NULL,
  session_duration           TEXT NOT NULL,
  session_duration_ns        INTEGER,  -- NULL = forever (never stored by the service)
  read_service_tokens_from_header TEXT NOT NULL,
  service_auth_401_redirect  INTEGER NOT NULL,
  http_only_cookie_attribute INTEGER NOT NULL,
  same_site_cookie_attribute TEXT CHECK (same_site_cookie_attribute IN ('none', 'lax', 'strict')),
  path_cookie_attribute      INTEGER NOT NULL,
  custom_deny_message        TEXT NOT NULL,
  cors_headers_json          TEXT NOT NULL,
  options_preflight_bypass   INTEGER NOT NULL,
  origin                     TEXT NOT NULL,
  origin_connect_ms          INTEGER NOT NULL,
  origin_response_header_ms  INTEGER NOT NULL,
  origin_idle_ms             INTEGER NOT NULL,
  aud                        TEXT NOT NULL UNIQUE,
  tokens_revoked_before      INTEGER,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL
);
CREATE INDEX apps_by_account ON apps(account_id, created_at, id);
CREATE TABLE app_destinations (
  app_id   TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  uri      TEXT NOT NULL,
  PRIMARY KEY (app_id, position)
);
CREATE TABLE policies (
  id                  TEXT PRIMARY KEY,
  account_id          TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  app_id              TEXT REFERENCES apps(id) ON DELETE CASCADE,  -- NULL = reusable
  name                TEXT NOT NULL,
  decision            TEXT NOT NULL CHECK (decision IN ('allow', 'deny', 'non_identity', 'bypass')),
  precedence          INTEGER NOT NULL,
  session_duration    TEXT,
  session_duration_ns INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX policies_by_account ON policies(account_id, app_id, created_at, id);
CREATE INDEX policies_by_app ON policies(app_id);
CREATE TABLE policy_rules (
  policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
  list      TEXT NOT NULL CHECK (list IN ('include', 'exclude', 'require')),
  position  INTEGER NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('service_token', 'any_valid_service_token', 'everyone', 'ip', 'email',
                                          'email_domain', 'common_name')),
  value     TEXT NOT NULL,
  PRIMARY KEY (policy_id, list, position)
);
-- The ordered links of an app. Deleting a linked policy fails (NO ACTION, checked at
-- the end of the statement, so cascades from deleting an app are fine); the store
-- removes an app-scoped policy's links itself before deleting it.
CREATE TABLE app_policies (
  app_id     TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  policy_id  TEXT NOT NULL REFERENCES policies(id),
  precedence INTEGER NOT NULL,
  PRIMARY KEY (app_id, policy_id),
  UNIQUE (app_id, precedence)
);
CREATE INDEX app_policies_by_policy ON app_policies(policy_id);
CREATE TABLE organizations (
  account_id                 TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  name                       TEXT NOT NULL,
  auth_domain                TEXT NOT NULL,
  session_duration           TEXT NOT NULL,
  session_duration_ns        INTEGER,  -- NULL = forever (never stored by the service)
  strict_service_token_auth  INTEGER NOT NULL,
  inactivity_enabled         INTEGER NOT NULL,
  inactivity_threshold_days  INTEGER NOT NULL,
  inactivity_action          TEXT NOT NULL CHECK (inactivity_action IN ('disable', 'delete')),
  key_rotation_interval_days INTEGER NOT NULL,
  last_key_rotation_at       INTEGER,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL
);
INSERT INTO organizations
  SELECT id, name, substr(id, 1, 8) || '.gatehouse.internal', '24h', 86400000000000, 0, 0, 90, 'disable', 42, NULL,
         created_at, created_at
  FROM accounts;
CREATE TABLE signing_keys (
  kid                   TEXT PRIMARY KEY,
  account_id            TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  private_key_encrypted TEXT NOT NULL,
  public_key_pem        TEXT NOT NULL,
  certificate_pem       TEXT NOT NULL,
  created_at            INTEGER NOT NULL,
  retired_at            INTEGER
);
CREATE INDEX signing_keys_by_account ON signing_keys(account_id, created_at, kid);
)sql",
    // 3: apps choose whether their path prefix is matched with ASCII case (docs/edge.md
    // "Paths"); existing apps keep the safe default, without.
    R"sql(
ALTER TABLE apps ADD COLUMN path_case_sensitive INTEGER NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

std::span<const std::string_view> sqlite_migrations() { return kMigrations; }

}  // namespace gatehouse
