#include "server/alerting_runtime.hpp"

#include "service/webhook_secret.hpp"

#include <iostream>
#include <stdexcept>

namespace gatehouse::server {

std::unique_ptr<AlertingRuntime> AlertingRuntime::open(SqliteStore& store, const MasterKey& master, Clock& clock,
                                                       Random& random, const notify::SmtpSettings& smtp,
                                                       const notify::AlertSettings& settings) {
  const WebhookSecretSealer seal = [&](std::string_view account_id, std::string_view id, std::string_view plain) {
    return seal_webhook_secret(plain, master, random, account_id, id);
  };
  auto alerts = SqliteAlertStore::open(store, seal);
  if (!alerts) throw std::runtime_error("opening the alert tables: " + alerts.error().message);
  return std::unique_ptr<AlertingRuntime>(
      new AlertingRuntime(store, std::move(*alerts), master, clock, random, smtp, settings));
}

AlertingRuntime::AlertingRuntime(SqliteStore& store, std::unique_ptr<SqliteAlertStore> alerts,
                                 const MasterKey& master, Clock& clock, Random& random,
                                 const notify::SmtpSettings& smtp, const notify::AlertSettings& settings)
    : store_(std::move(alerts)),
      smtp_(smtp),
      transport_(smtp, settings.connect_timeout, settings.send_timeout),
      worker_(store, *store_, transport_, clock, random, settings, master),
      alerting_{*store_, [this] { worker_.wake(); }} {}

void AlertingRuntime::start() {
  // Never the password; the URL is the operator's own and carries no credentials
  // (those are username/password).
  if (smtp_.configured())
    std::cout << "gatehouse: alerts: email via " << smtp_.url << " from " << smtp_.from << " (STARTTLS "
              << notify::to_string(smtp_.starttls) << ")" << std::endl;
  else
    std::cout << "gatehouse: alerts: no SMTP server configured ([smtp] url or GATEHOUSE_SMTP_URL); "
                 "email alerts wait in the outbox until one is"
              << std::endl;
  worker_.start();
}

}  // namespace gatehouse::server
