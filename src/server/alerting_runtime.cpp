#include "server/alerting_runtime.hpp"

#include <iostream>
#include <stdexcept>

namespace gatehouse::server {

std::unique_ptr<AlertingRuntime> AlertingRuntime::open(SqliteStore& store, Clock& clock, Random& random,
                                                       const notify::SmtpSettings& smtp,
                                                       const notify::AlertSettings& settings) {
  auto alerts = SqliteAlertStore::open(store);
  if (!alerts) throw std::runtime_error("opening the alert tables: " + alerts.error().message);
  return std::unique_ptr<AlertingRuntime>(
      new AlertingRuntime(store, std::move(*alerts), clock, random, smtp, settings));
}

AlertingRuntime::AlertingRuntime(SqliteStore& store, std::unique_ptr<SqliteAlertStore> alerts, Clock& clock,
                                 Random& random, const notify::SmtpSettings& smtp,
                                 const notify::AlertSettings& settings)
    : store_(std::move(alerts)),
      smtp_(smtp),
      transport_(smtp, settings.connect_timeout, settings.send_timeout),
      worker_(store, *store_, transport_, clock, random, settings),
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
