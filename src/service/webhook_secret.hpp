#pragma once
// Webhook secrets at rest (docs/alerts.md): sealed with AES-256-GCM under the master
// key, like the signing keys (jwt/key_encryption.hpp), a fresh nonce per value. The
// associated data names the purpose and the destination (account id and webhook id),
// so a sealed secret copied into another row, or another account, does not open.
//
// The store only ever sees the sealed form (WebhookDestination::secret_sealed); the
// plain secret exists in memory only while a delivery sends it (notify/delivery.cpp)
// or an update compares it with the new one. It is never logged or returned.
#include "core/error.hpp"
#include "core/random.hpp"
#include "jwt/key_encryption.hpp"
#include "store/alert_store.hpp"

#include <string>
#include <string_view>

namespace gatehouse {

// "" (no secret) stays "": whether a destination has a secret is shown by the API
// (secret_set), so it need not be hidden.
Result<std::string> seal_webhook_secret(std::string_view plaintext, const MasterKey& key, Random& random,
                                        std::string_view account_id, std::string_view webhook_id);

// The secret to send as cf-webhook-auth ("" when there is none). A blob that does not
// open (another master key, a row copied from elsewhere, altered bytes) is a 500
// "webhook_secret_undecryptable" naming the destination and what to do.
Result<std::string> open_webhook_secret(const WebhookDestination& w, const MasterKey& key);

}  // namespace gatehouse
