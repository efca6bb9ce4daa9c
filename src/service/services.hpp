#pragma once
// The operations every interface shares (admin API, CLI on the data dir, first start).
// Each validates its input, applies a pure rule from core/, and stores the result with
// its audit event in one transaction. Nothing here knows about HTTP.
#include "core/account.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/service_token.hpp"
#include "store/store.hpp"

#include <functional>
#include <optional>
#include <string>

namespace gatehouse {

struct Services {
  Store& store;
  Clock& clock;
  Random& random;
  // Called after every successful change, so the edge can rebuild its snapshot.
  // May be empty (CLI commands on the data dir; the server notices on its own).
  std::function<void()> changed = {};
  // Called instead of `changed` after a change to one service token alone (created,
  // changed, rotated, refreshed, deleted), so the edge can update just that token.
  // Empty: `changed` is called.
  std::function<void(std::string_view account_id, std::string_view token_id)> token_changed = {};
  // Encrypts signing keys at rest; set by `serve` (key rotation needs it).
  const class MasterKey* master_key = nullptr;
  // Alert policies, webhooks and their outbox (service/alerts.hpp); set by `serve`.
  struct Alerting* alerting = nullptr;

  void notify_changed() const {
    if (changed) changed();
  }
  void notify_token_changed(std::string_view account_id, std::string_view token_id) const {
    if (token_changed) token_changed(account_id, token_id);
    else notify_changed();
  }
};

// ---- validation shared by the API and the CLI
Result<std::string> validate_name(std::string_view name, std::string_view field = "name");

// ---- accounts and API tokens

struct CreatedApiToken {
  ApiToken record;
  std::string token;  // shown once
};

// First start: creates the account and an `edit` API token if there is no account yet.
// Returns nothing when the data dir was already initialised.
struct Bootstrap {
  Account account;
  CreatedApiToken admin_token;
};
Result<std::optional<Bootstrap>> bootstrap_if_empty(Services& s);

Result<CreatedApiToken> create_api_token(Services& s, const Actor& actor, std::string_view account_id,
                                         std::string_view name, Scope scope, std::optional<Time> expires_at);
Result<ApiToken> revoke_api_token(Services& s, const Actor& actor, std::string_view account_id,
                                  std::string_view id);

// ---- service tokens

struct CreatedServiceToken {
  ServiceToken token;
  std::string client_secret;  // shown once
};

struct NewServiceToken {
  std::string name;
  Duration duration;
  bool enabled = true;
};

struct ServiceTokenChanges {
  std::optional<std::string> name;
  std::optional<Duration> duration;
  std::optional<bool> enabled;
  std::optional<Time> previous_client_secret_expires_at;
  bool empty() const { return !name && !duration && !enabled && !previous_client_secret_expires_at; }
};

Result<CreatedServiceToken> create_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                                 NewServiceToken spec);
Result<ServiceToken> get_service_token(Services& s, std::string_view account_id, std::string_view id);
Result<ServiceToken> update_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id, const ServiceTokenChanges& changes);
Result<ServiceToken> refresh_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                           std::string_view id);
Result<CreatedServiceToken> rotate_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                                 std::string_view id, std::optional<Time> grace_until);
Result<ServiceToken> delete_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id);

}  // namespace gatehouse
