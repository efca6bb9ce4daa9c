// Webhook destinations (compat.md §1.5): validation, audited changes, send-test.
// The secret is sealed under the master key before it is stored
// (service/webhook_secret.hpp) and kept out of every reply and audit event.
#include "crypto/crypto.hpp"
#include "service/access_audit.hpp"
#include "service/alert_json.hpp"
#include "service/alert_payload.hpp"
#include "service/alert_support.hpp"
#include "service/json_views.hpp"
#include "service/webhook_secret.hpp"

#include <openssl/crypto.h>

#include <boost/url/parse.hpp>

namespace gatehouse {

using namespace access_detail;
using namespace alert_detail;

namespace {

constexpr std::size_t kMaxUrlChars = 2048;
constexpr std::size_t kMaxSecretChars = 1024;

Error webhook_not_found(std::string_view id) {
  return not_found("webhook_not_found", "no webhook destination with id " + quoted(id) + " in this account");
}

Result<WebhookDestination> build(const WebhookInput& in, const WebhookDestination* base) {
  WebhookDestination w = base ? *base : WebhookDestination{};
  if (in.name) {
    auto v = validate_name(*in.name);
    if (!v) return v.error();
    w.name = std::move(*v);
  } else if (!base) {
    return bad_request("missing_field", "name is required (1 to 256 characters)");
  }
  if (in.url) {
    auto v = validate_webhook_url(*in.url, "url");
    if (!v) return v.error();
    w.url = std::move(*v);
  } else if (!base) {
    return bad_request("missing_field", "url is required (an http:// or https:// URL)");
  }
  if (in.secret)
    if (auto v = validate_webhook_secret(*in.secret, "secret"); !v) return v.error();
  return w;
}

// Seals the given secret into `w` (whose id and account are set). Giving the secret a
// destination already has keeps its blob, so such an update changes nothing; one
// whose stored secret no longer opens is simply replaced (that is how it is repaired).
Result<void> apply_secret(Services& s, WebhookDestination& w, const std::optional<std::string>& secret,
                          const WebhookDestination* before) {
  if (!secret) return {};
  if (s.master_key == nullptr)
    return internal_error("no_master_key", "this process has no master key to encrypt webhook secrets with");
  if (before && !before->secret_sealed.empty()) {
    auto old = open_webhook_secret(*before, *s.master_key);
    const bool same = old && constant_time_equal(*old, *secret);
    if (old) OPENSSL_cleanse(old->data(), old->size());
    if (same) {
      w.secret_sealed = before->secret_sealed;
      return {};
    }
  }
  auto sealed = seal_webhook_secret(*secret, *s.master_key, s.random, w.account_id, w.id);
  if (!sealed) return sealed.error();
  w.secret_sealed = std::move(*sealed);
  return {};
}

}  // namespace

Result<std::string> validate_webhook_url(std::string_view url, std::string_view field) {
  const std::string f(field);
  if (url.empty()) return bad_request("invalid_url", f + " must not be empty");
  if (url.size() > kMaxUrlChars)
    return bad_request("invalid_url", f + " is " + std::to_string(url.size()) + " characters long; the maximum is " +
                                          std::to_string(kMaxUrlChars));
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return bad_request("invalid_url", f + " is not an absolute URL: " + quoted(url));
  const auto scheme = parsed->scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https)
    return bad_request("invalid_url", f + " must be an http:// or https:// URL, got " + quoted(url));
  if (parsed->encoded_host().empty()) return bad_request("invalid_url", f + " has no host: " + quoted(url));
  if (parsed->has_userinfo())
    return bad_request("invalid_url", f + " must not carry credentials (user:password@); use the secret, sent as "
                                          "cf-webhook-auth");
  if (parsed->has_port() && parsed->port_number() == 0)
    return bad_request("invalid_url", f + " has an invalid port: " + quoted(url));
  return std::string(url);
}

Result<std::string> validate_webhook_secret(std::string_view secret, std::string_view field) {
  const std::string f(field);
  if (secret.size() > kMaxSecretChars)
    return bad_request("invalid_secret", f + " is " + std::to_string(secret.size()) + " characters long; the maximum is " +
                                             std::to_string(kMaxSecretChars));
  // It becomes an HTTP header value: visible ASCII and inner spaces only.
  for (unsigned char c : secret)
    if (c < 0x20 || c > 0x7E)
      return bad_request("invalid_secret", f + " must be printable ASCII (it is sent as the cf-webhook-auth header)");
  if (!secret.empty() && (secret.front() == ' ' || secret.back() == ' '))
    return bad_request("invalid_secret", f + " must not start or end with a space");
  return std::string(secret);
}

Result<WebhookDestination> create_webhook(Services& s, const Actor& actor, std::string_view account_id,
                                          const WebhookInput& in) {
  if (auto r = need_alerting(s); !r) return r.error();
  auto w = build(in, nullptr);
  if (!w) return w.error();
  w->id = new_uuid(s.random);
  w->account_id = std::string(account_id);
  if (auto r = apply_secret(s, *w, in.secret, nullptr); !r) return r.error();
  w->created_at = w->updated_at = s.clock.now();
  auto event = audit_event(s, actor, account_id, "alert_webhook.create", "alerting.webhook", w->id, w->name, "",
                           serialize(to_json(*w)));
  if (auto r = s.alerting->store.insert_webhook(*w, event); !r) return r.error();
  return w;
}

Result<WebhookDestination> get_webhook(Services& s, std::string_view account_id, std::string_view id) {
  if (auto r = need_alerting(s); !r) return r.error();
  auto found = s.alerting->store.find_webhook(account_id, id);
  if (!found) return found.error();
  if (!*found) return webhook_not_found(id);
  return std::move(**found);
}

Result<PageOf<WebhookDestination>> list_webhooks(Services& s, std::string_view account_id, PageRequest page) {
  if (auto r = need_alerting(s); !r) return r.error();
  return s.alerting->store.list_webhooks(account_id, page);
}

Result<WebhookDestination> update_webhook(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id, const WebhookInput& in) {
  if (auto r = need_alerting(s); !r) return r.error();
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    auto before = get_webhook(s, account_id, id);
    if (!before) return before.error();
    auto after = build(in, &*before);
    if (!after) return after.error();
    if (auto r = apply_secret(s, *after, in.secret, &*before); !r) return r.error();
    if (*after == *before) return after;
    after->updated_at = next_updated_at(s.clock.now(), before->updated_at);
    json::object after_json = to_json(*after);
    // The secret itself never enters the audit trail; that it changed does.
    if (after->secret_sealed != before->secret_sealed) after_json["secret_changed"] = true;
    auto event = audit_event(s, actor, account_id, "alert_webhook.update", "alerting.webhook", after->id, after->name,
                             serialize(to_json(*before)), serialize(after_json));
    auto stored = s.alerting->store.update_webhook(*after, before->updated_at, event);
    if (!stored) return stored.error();
    if (*stored) return after;
  }
  return concurrent_update("webhook destination");
}

Result<WebhookDestination> delete_webhook(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id) {
  auto before = get_webhook(s, account_id, id);
  if (!before) return before.error();
  auto event = audit_event(s, actor, account_id, "alert_webhook.delete", "alerting.webhook", before->id, before->name,
                           serialize(to_json(*before)), "");
  auto deleted = s.alerting->store.delete_webhook(account_id, id, event);
  if (!deleted) return deleted.error();
  if (!*deleted) return webhook_not_found(id);
  return before;
}

Result<QueuedTest> test_webhook(Services& s, const Actor& actor, std::string_view account_id, std::string_view id) {
  auto w = get_webhook(s, account_id, id);
  if (!w) return w.error();
  const Time now = s.clock.now();
  const std::string correlation = new_uuid(s.random);
  AlertPolicy none;  // a destination test belongs to no policy
  none.account_id = std::string(account_id);
  QueuedTest out;
  out.messages.push_back(test_message(s, none, OutboxKind::webhook, w->id,
                                      serialize(test_payload(account_id, nullptr, &*w, now, correlation)), correlation,
                                      now));
  auto event = audit_event(s, actor, account_id, "alert_webhook.test", "alerting.webhook", w->id, w->name, "",
                           serialize(json::object{{"test_messages", 1}}));
  if (auto r = s.alerting->store.enqueue_test(out.messages, event); !r) return r.error();
  s.alerting->notify();
  return out;
}

}  // namespace gatehouse
