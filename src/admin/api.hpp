#pragma once
// The /client/v4 admin API: authenticates the caller, routes, maps JSON to service
// calls and back; also serves the web dashboard. Runs on the admin listener's thread;
// holds no per-request state besides the dashboard's sessions.
#include "admin/admin_origin.hpp"
#include "admin/sessions.hpp"
#include "http/message.hpp"
#include "service/services.hpp"
#include "store/access_log_store.hpp"

#include <functional>
#include <string>

namespace gatehouse::admin {

class AdminApi {
 public:
  explicit AdminApi(Services services) : services_(services) {}

  http::Response handle(const http::Request& req);
  // The envelope for requests the HTTP layer could not read (400/413/431/500).
  static http::Response transport_error(int status, std::string_view message);

  // Set by serve before the listener starts (docs/logs.md): the authentication log
  // behind …/access/logs/access_requests, and the Prometheus text of GET /metrics
  // (any authenticated caller). Unset: those endpoints answer 404.
  void set_access_log(AccessLogStore* log) { access_log_ = log; }
  void set_metrics(std::function<std::string()> metrics) { metrics_ = std::move(metrics); }
  // Set by serve once the admin listener is bound (admin/admin_origin.hpp): where the
  // dashboard's writes must come from. Unset: every write with a session is refused.
  void set_origins(AdminOrigins origins) { origins_ = std::move(origins); }
  const AdminOrigins& origins() const { return origins_; }

 private:
  http::Response metrics(const http::Request& req);

  Services services_;
  SessionStore sessions_;  // the dashboard's sign-ins (admin/dashboard.hpp)
  AdminOrigins origins_;
  AccessLogStore* access_log_ = nullptr;
  std::function<std::string()> metrics_;
};

}  // namespace gatehouse::admin
