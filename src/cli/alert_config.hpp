#pragma once
// The [smtp] and [alerts] tables of the serve config file and their GATEHOUSE_SMTP_* /
// GATEHOUSE_ALERT_* variables (docs/alerts.md). Start-up only: errors throw
// std::runtime_error naming the file and key, or the variable.
#include "notify/settings.hpp"

#include <toml++/toml.h>

#include <string>

namespace gatehouse::cli {

void apply_smtp_table(notify::SmtpSettings& smtp, const toml::node& node, const std::string& path);
void apply_alerts_table(notify::AlertSettings& alerts, const toml::node& node, const std::string& path);
// GATEHOUSE_SMTP_URL, _FROM, _USERNAME, _PASSWORD, _STARTTLS; GATEHOUSE_ALERT_INTERVAL,
// _RETRY_INITIAL, _RETRY_MAX. Then checks the result as a whole (a URL needs a From).
void apply_alert_env(notify::SmtpSettings& smtp, notify::AlertSettings& alerts);

}  // namespace gatehouse::cli
