#pragma once
// AlertTransport over libcurl: SMTP (smtp:// with STARTTLS when offered or required,
// smtps://, AUTH with username/password) and webhook POSTs with cf-webhook-auth.
// Each call is one easy handle with connect and total timeouts; no signals.
#include "notify/settings.hpp"
#include "notify/transport.hpp"

namespace gatehouse::notify {

class CurlTransport final : public AlertTransport {
 public:
  CurlTransport(SmtpSettings smtp, std::chrono::seconds connect_timeout, std::chrono::seconds timeout)
      : smtp_(std::move(smtp)), connect_timeout_(connect_timeout), timeout_(timeout) {}

  bool email_configured() const override { return smtp_.configured(); }
  Result<void> send_email(const EmailMessage& m) override;
  Result<void> post_webhook(std::string_view url, std::string_view secret, std::string_view json_body) override;

 private:
  SmtpSettings smtp_;
  std::chrono::seconds connect_timeout_;
  std::chrono::seconds timeout_;
};

}  // namespace gatehouse::notify
