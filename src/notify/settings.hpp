#pragma once
// Settings of the alert worker and its SMTP server, read by `serve` from the config
// file ([alerts], [smtp]) and GATEHOUSE_ALERT_* / GATEHOUSE_SMTP_* (cli/config.cpp).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::notify {

enum class StartTls {
  opportunistic,  // smtp://: upgrade when the server offers STARTTLS (CURLUSESSL_TRY)
  required,       // smtp://: refuse to send unless the upgrade succeeds (CURLUSESSL_ALL)
};
inline std::optional<StartTls> parse_starttls(std::string_view s) {
  if (s == "opportunistic" || s == "auto") return StartTls::opportunistic;
  if (s == "required" || s == "always") return StartTls::required;
  return std::nullopt;
}
inline std::string_view to_string(StartTls s) { return s == StartTls::required ? "required" : "opportunistic"; }

struct SmtpSettings {
  std::string url;   // smtp://host[:port] or smtps://host[:port]; "" = email not configured
  std::string from;  // "alerts@example.com" or "Gatehouse <alerts@example.com>"
  std::string username;
  std::string password;
  StartTls starttls = StartTls::opportunistic;  // smtps:// is TLS from the first byte anyway

  bool configured() const { return !url.empty(); }
};

struct AlertSettings {
  // How often the scheduler looks for tokens entering the 7-day window (it also
  // runs at start and after every policy change).
  std::chrono::milliseconds interval = std::chrono::minutes(5);
  // Retries of a failed delivery: retry_initial, doubling, at most retry_max apart.
  std::chrono::milliseconds retry_initial = std::chrono::seconds(30);
  std::chrono::milliseconds retry_max = std::chrono::hours(1);
  // A message still undelivered this long after it was queued is marked failed: the
  // token it warns about has expired by then.
  std::chrono::milliseconds give_up_after = std::chrono::hours(24 * 8);
  // Every SMTP conversation and webhook POST is bounded by these.
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds send_timeout{60};
};

}  // namespace gatehouse::notify
