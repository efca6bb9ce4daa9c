#pragma once
// Outbox delivery: claim -> send -> mark.
//
// claim_due marks a batch `sending` (with a lease) and counts the attempt; each
// message is then sent and marked delivered only after the server accepted it
// (SMTP: the final 250 after DATA; webhook: a 2xx). A failure goes back to pending
// with exponential backoff (retry_initial, doubling, capped at retry_max), until
// give_up_after has passed since it was queued. A webhook message whose destination
// was deleted fails at once. The only duplicate window is a crash after the server
// accepted a message and before mark_delivered committed: at the next start the
// claim is released and the message is sent again (at-least-once; the email keeps
// its Message-ID, so a receiving system can recognise the repeat).
//
// A webhook's secret is opened with the master key just before it is sent, and wiped
// after. One that does not open (service/webhook_secret.hpp) fails that delivery
// attempt with an error naming the destination; the message is retried, so starting
// with the right master key or setting the secret again lets it through.
#include "core/time.hpp"
#include "jwt/key_encryption.hpp"
#include "notify/settings.hpp"
#include "notify/transport.hpp"
#include "store/alert_store.hpp"

namespace gatehouse::notify {

struct DeliveryResult {
  int delivered = 0;
  int retried = 0;
  int failed = 0;
  int claimed() const { return delivered + retried + failed; }
};

// Delay before attempt number `attempts + 1`, after `attempts` failed ones.
std::chrono::milliseconds retry_delay(int attempts, const AlertSettings& settings);

// Delivers every message due now, in batches, until none is due.
Result<DeliveryResult> deliver_due(AlertStore& alerts, AlertTransport& transport, Clock& clock,
                                   const AlertSettings& settings, const MasterKey& master);

}  // namespace gatehouse::notify
