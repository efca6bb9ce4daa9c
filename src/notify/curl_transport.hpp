#pragma once
// AlertTransport over libcurl: SMTP (smtp:// with STARTTLS when offered or required,
// smtps://, AUTH with username/password) and webhook POSTs with cf-webhook-auth.
// Each call is one easy handle with connect and total timeouts; no signals.
#include "notify/settings.hpp"
#include "notify/transport.hpp"

#include <atomic>

namespace gatehouse::notify {

class CurlTransport final : public AlertTransport {
 public:
  CurlTransport(SmtpSettings smtp, std::chrono::seconds connect_timeout, std::chrono::seconds timeout)
      : smtp_(std::move(smtp)), connect_timeout_(connect_timeout), timeout_(timeout) {}

  bool email_configured() const override { return smtp_.configured(); }
  Result<void> send_email(const EmailMessage& m) override;
  Result<void> post_webhook(std::string_view url, std::string_view secret, std::string_view json_body) override;

  // From any thread: aborts a transfer in progress and fails every later one (at
  // shutdown, so that stopping never waits for a slow server; an aborted message stays
  // pending and is sent after the restart).
  void cancel() { cancelled_ = true; }

 private:
  SmtpSettings smtp_;
  std::chrono::seconds connect_timeout_;
  std::chrono::seconds timeout_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace gatehouse::notify
