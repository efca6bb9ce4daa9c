#include "notify/delivery.hpp"

#include "notify/alert_email.hpp"
#include "service/webhook_secret.hpp"

#include <boost/json/parse.hpp>
#include <openssl/crypto.h>

namespace gatehouse::notify {

namespace json = boost::json;

namespace {

constexpr int kBatch = 32;
// Longer than any one send can take (connect + total timeouts), so a live claim never
// expires under a worker that is still sending.
constexpr auto kLeaseSlack = std::chrono::minutes(5);

enum class Outcome { delivered, retry, give_up };
struct Attempt {
  Outcome outcome;
  std::string error;
};

Attempt send_one(AlertStore& alerts, AlertTransport& transport, const OutboxMessage& m, Time now,
                 const MasterKey& master) {
  boost::system::error_code ec;
  const json::value payload = json::parse(m.payload, ec);
  if (ec || !payload.is_object()) return {Outcome::give_up, "the stored payload is not a JSON object"};
  if (m.kind == OutboxKind::email) {
    if (!transport.email_configured())
      return {Outcome::retry, "no SMTP server is configured ([smtp] url or GATEHOUSE_SMTP_URL); the message waits"};
    const EmailContent content = render_alert_email(payload.as_object(), now);
    auto sent = transport.send_email(EmailMessage{m.address, content.subject, content.body, m.id, now});
    if (!sent) return {Outcome::retry, sent.error().message};
    return {Outcome::delivered, ""};
  }
  auto hook = alerts.find_webhook(m.account_id, m.address);
  if (!hook) return {Outcome::retry, hook.error().message};
  if (!*hook) return {Outcome::give_up, "the webhook destination was deleted"};
  auto secret = open_webhook_secret(**hook, master);
  if (!secret) return {Outcome::retry, secret.error().message};
  auto sent = transport.post_webhook((*hook)->url, *secret, m.payload);
  OPENSSL_cleanse(secret->data(), secret->size());
  if (!sent) return {Outcome::retry, sent.error().message};
  return {Outcome::delivered, ""};
}

}  // namespace

std::chrono::milliseconds retry_delay(int attempts, const AlertSettings& settings) {
  auto delay = settings.retry_initial;
  for (int i = 1; i < attempts && delay < settings.retry_max; ++i) delay *= 2;
  return std::min(delay, settings.retry_max);
}

Result<DeliveryResult> deliver_due(AlertStore& alerts, AlertTransport& transport, Clock& clock,
                                   const AlertSettings& settings, const MasterKey& master) {
  DeliveryResult result;
  for (;;) {
    const Time now = clock.now();
    const auto lease = std::chrono::duration_cast<std::chrono::microseconds>(settings.send_timeout +
                                                                             settings.connect_timeout + kLeaseSlack);
    auto batch = alerts.claim_due(now, now + lease, kBatch);
    if (!batch) return batch.error();
    if (batch->empty()) return result;
    for (const auto& m : *batch) {
      const Attempt a = send_one(alerts, transport, m, clock.now(), master);
      const Time done = clock.now();
      Result<void> marked;
      if (a.outcome == Outcome::delivered) {
        marked = alerts.mark_delivered(m.id, done);
        ++result.delivered;
      } else if (a.outcome == Outcome::give_up || done - m.created_at >= settings.give_up_after) {
        marked = alerts.mark_failed(m.id, a.error, done);
        ++result.failed;
      } else {
        const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(retry_delay(m.attempts, settings));
        marked = alerts.mark_retry(m.id, a.error, done, done + delay);
        ++result.retried;
      }
      if (!marked) return marked.error();
    }
  }
}

}  // namespace gatehouse::notify
