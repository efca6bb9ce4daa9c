#include "cli/alert_config.hpp"

#include "core/duration.hpp"

#include <cstdlib>
#include <stdexcept>

namespace gatehouse::cli {

namespace {

using std::chrono::milliseconds;

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// A Go duration within [min, max]; `where` names the key or variable.
milliseconds duration_in(const std::string& text, milliseconds min, milliseconds max, const std::string& where) {
  auto d = parse_duration(text);
  if (!d) throw std::runtime_error(where + ": " + d.error().message);
  if (d->forever()) throw std::runtime_error(where + " must be a duration such as 5m, not forever");
  const auto ms = std::chrono::duration_cast<milliseconds>(*d->length);
  if (ms < min || ms > max)
    throw std::runtime_error(where + " must be between " + std::to_string(min.count()) + "ms and " +
                             std::to_string(max.count() / 1000) + "s, got \"" + text + "\"");
  return ms;
}

constexpr milliseconds kMinInterval{100};
constexpr milliseconds kMaxInterval = std::chrono::hours(24);
constexpr milliseconds kMinRetry{10};
constexpr milliseconds kMaxRetry = std::chrono::hours(24);

notify::StartTls starttls_of(const std::string& text, const std::string& where) {
  auto s = notify::parse_starttls(text);
  if (!s) throw std::runtime_error(where + " must be \"opportunistic\" or \"required\", got \"" + text + "\"");
  return *s;
}

const toml::table& table_of(const toml::node& node, const std::string& path, const char* name) {
  const auto* t = node.as_table();
  if (t == nullptr) throw std::runtime_error("config file " + path + ": [" + name + "] must be a table");
  return *t;
}

std::string string_of(const toml::node& node, const std::string& where) {
  auto s = node.value<std::string>();
  if (!s) throw std::runtime_error(where + " must be a string");
  return *s;
}

}  // namespace

void apply_smtp_table(notify::SmtpSettings& smtp, const toml::node& node, const std::string& path) {
  for (const auto& [key, value] : table_of(node, path, "smtp")) {
    const std::string k(key.str());
    const std::string where = "config file " + path + ": smtp." + k;
    if (k == "url") smtp.url = string_of(value, where);
    else if (k == "from") smtp.from = string_of(value, where);
    else if (k == "username") smtp.username = string_of(value, where);
    else if (k == "password") smtp.password = string_of(value, where);
    else if (k == "starttls") smtp.starttls = starttls_of(string_of(value, where), where);
    else throw std::runtime_error("config file " + path + ": unknown key smtp." + k);
  }
}

void apply_alerts_table(notify::AlertSettings& alerts, const toml::node& node, const std::string& path) {
  for (const auto& [key, value] : table_of(node, path, "alerts")) {
    const std::string k(key.str());
    const std::string where = "config file " + path + ": alerts." + k;
    if (k == "interval") alerts.interval = duration_in(string_of(value, where), kMinInterval, kMaxInterval, where);
    else if (k == "retry_initial")
      alerts.retry_initial = duration_in(string_of(value, where), kMinRetry, kMaxRetry, where);
    else if (k == "retry_max") alerts.retry_max = duration_in(string_of(value, where), kMinRetry, kMaxRetry, where);
    else throw std::runtime_error("config file " + path + ": unknown key alerts." + k);
  }
}

void apply_alert_env(notify::SmtpSettings& smtp, notify::AlertSettings& alerts) {
  if (auto v = env("GATEHOUSE_SMTP_URL")) smtp.url = *v;
  if (auto v = env("GATEHOUSE_SMTP_FROM")) smtp.from = *v;
  if (auto v = env("GATEHOUSE_SMTP_USERNAME")) smtp.username = *v;
  if (auto v = env("GATEHOUSE_SMTP_PASSWORD")) smtp.password = *v;
  if (auto v = env("GATEHOUSE_SMTP_STARTTLS")) smtp.starttls = starttls_of(*v, "GATEHOUSE_SMTP_STARTTLS");
  if (auto v = env("GATEHOUSE_ALERT_INTERVAL"))
    alerts.interval = duration_in(*v, kMinInterval, kMaxInterval, "GATEHOUSE_ALERT_INTERVAL");
  if (auto v = env("GATEHOUSE_ALERT_RETRY_INITIAL"))
    alerts.retry_initial = duration_in(*v, kMinRetry, kMaxRetry, "GATEHOUSE_ALERT_RETRY_INITIAL");
  if (auto v = env("GATEHOUSE_ALERT_RETRY_MAX"))
    alerts.retry_max = duration_in(*v, kMinRetry, kMaxRetry, "GATEHOUSE_ALERT_RETRY_MAX");

  if (alerts.retry_max < alerts.retry_initial)
    throw std::runtime_error("alerts: retry_max (GATEHOUSE_ALERT_RETRY_MAX) must not be below retry_initial");
  if (!smtp.url.empty()) {
    if (smtp.url.rfind("smtp://", 0) != 0 && smtp.url.rfind("smtps://", 0) != 0)
      throw std::runtime_error("smtp.url (GATEHOUSE_SMTP_URL) must start with smtp:// or smtps://, got \"" +
                               smtp.url + "\"");
    if (smtp.from.find('@') == std::string::npos)
      throw std::runtime_error("smtp.from (GATEHOUSE_SMTP_FROM) must be the sender's address, e.g. "
                               "\"Gatehouse <alerts@example.com>\", when an SMTP url is set");
    for (char ch : smtp.from)
      if (ch == '\r' || ch == '\n') throw std::runtime_error("smtp.from must be one line");
  }
  if (smtp.password.empty() != smtp.username.empty() && !smtp.password.empty())
    throw std::runtime_error("smtp.password (GATEHOUSE_SMTP_PASSWORD) needs smtp.username too");
}

}  // namespace gatehouse::cli
