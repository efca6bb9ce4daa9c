#pragma once
// The alerting part of `serve` (docs/alerts.md): the "alerts" store component on the
// server's database, the Alerting hook the admin API uses, the libcurl transport and
// the worker thread (scheduler + outbox delivery). Start-up errors throw.
#include "notify/alert_worker.hpp"
#include "notify/curl_transport.hpp"
#include "service/alerts.hpp"
#include "store/sqlite_alerts.hpp"

#include <memory>

namespace gatehouse::server {

class AlertingRuntime {
 public:
  // `master` seals the plain-text webhook secrets of an older database (its migration
  // runs here) and opens them for delivery; it must outlive the runtime.
  static std::unique_ptr<AlertingRuntime> open(SqliteStore& store, const MasterKey& master, Clock& clock,
                                               Random& random, const notify::SmtpSettings& smtp,
                                               const notify::AlertSettings& settings);

  // For Services::alerting: changes wake the worker.
  Alerting& alerting() { return alerting_; }
  // Prints where emails go, releases claims a crash left, starts the worker (which scans at once).
  void start();
  // Aborts a send in progress (the message stays pending) and joins the worker.
  void stop() {
    transport_.cancel();
    worker_.stop();
  }

 private:
  AlertingRuntime(SqliteStore& store, std::unique_ptr<SqliteAlertStore> alerts, const MasterKey& master, Clock& clock,
                  Random& random, const notify::SmtpSettings& smtp, const notify::AlertSettings& settings);

  std::unique_ptr<SqliteAlertStore> store_;
  notify::SmtpSettings smtp_;
  notify::CurlTransport transport_;
  notify::AlertWorker worker_;
  Alerting alerting_;
};

}  // namespace gatehouse::server
