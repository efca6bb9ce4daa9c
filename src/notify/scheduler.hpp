#pragma once
// The firing rule (compat.md §1.5): for every enabled expiring_service_token_alert
// policy with at least one recipient, and every token of its account that it covers
// (filters.token_id, or all), enabled, not forever, and with
//     now < expires_at <= now + 7 days,
// record the firing of (policy, token, expires_at) and queue one message per email
// recipient and webhook, in one transaction (AlertStore::record_firing). A token that
// has already expired when the scan sees it does not fire: the alert warns ahead of
// an expiry; it does not report one (a policy created after a token expired, or a
// server that was down through a token's whole window, sends nothing for it).
#include "core/random.hpp"
#include "core/time.hpp"
#include "store/alert_store.hpp"
#include "store/store.hpp"

namespace gatehouse::notify {

struct ScanResult {
  int fired = 0;     // (policy, token, expires_at) recorded by this scan
  int messages = 0;  // outbox messages queued
};

Result<ScanResult> scan_expiring_tokens(Store& store, AlertStore& alerts, Clock& clock, Random& random);

}  // namespace gatehouse::notify
