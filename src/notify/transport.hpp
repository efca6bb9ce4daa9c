#pragma once
// The delivery seam: how an outbox message leaves the process. Production uses
// CurlTransport (SMTP and HTTP through libcurl); unit tests a fake that records.
// Called only on the alert worker's thread, never on the admin or edge threads.
#include "core/error.hpp"
#include "notify/email_format.hpp"

#include <string_view>

namespace gatehouse::notify {

class AlertTransport {
 public:
  virtual ~AlertTransport() = default;
  // False when no SMTP server is configured: email messages then wait (and retry).
  virtual bool email_configured() const = 0;
  // Success only once the server accepted the message for this recipient.
  virtual Result<void> send_email(const EmailMessage& m) = 0;
  // Success only on a 2xx answer. `secret` "" sends no cf-webhook-auth header.
  virtual Result<void> post_webhook(std::string_view url, std::string_view secret, std::string_view json_body) = 0;
};

}  // namespace gatehouse::notify
