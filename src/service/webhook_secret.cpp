#include "service/webhook_secret.hpp"

namespace gatehouse {

namespace {

constexpr std::string_view kPurpose = "gatehouse.webhook-secret.v1";

// Ids are UUIDs and account ids hex: neither holds a NUL, so the pair is unambiguous.
std::string context(std::string_view account_id, std::string_view webhook_id) {
  std::string c(account_id);
  c.push_back('\0');
  c.append(webhook_id);
  return c;
}

}  // namespace

Result<std::string> seal_webhook_secret(std::string_view plaintext, const MasterKey& key, Random& random,
                                        std::string_view account_id, std::string_view webhook_id) {
  if (plaintext.empty()) return std::string();
  auto sealed = seal_with_master_key(plaintext, key, random, kPurpose, context(account_id, webhook_id));
  if (!sealed) return internal_error("webhook_secret_seal_failed", "could not encrypt the webhook secret");
  return std::move(*sealed);
}

Result<std::string> open_webhook_secret(const WebhookDestination& w, const MasterKey& key) {
  if (w.secret_sealed.empty()) return std::string();
  auto plain = open_with_master_key(w.secret_sealed, key, kPurpose, context(w.account_id, w.id));
  if (!plain)
    return internal_error("webhook_secret_undecryptable",
                          "the stored secret of webhook destination " + w.id +
                              " does not decrypt with this master key (GATEHOUSE_MASTER_KEY or <data dir>/master.key), "
                              "or its row was altered; start with the master key it was stored under, or set the "
                              "secret again (PUT …/alerting/v3/destinations/webhooks/" +
                              w.id + ")");
  return std::move(*plain);
}

}  // namespace gatehouse
