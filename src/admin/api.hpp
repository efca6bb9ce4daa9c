#pragma once
// The /client/v4 admin API: authenticates the caller, routes, maps JSON to service
// calls and back; also serves the web dashboard. Runs on the admin listener's thread;
// holds no per-request state besides the dashboard's sessions.
#include "admin/sessions.hpp"
#include "http/message.hpp"
#include "service/services.hpp"

namespace gatehouse::admin {

class AdminApi {
 public:
  explicit AdminApi(Services services) : services_(services) {}

  http::Response handle(const http::Request& req);
  // The envelope for requests the HTTP layer could not read (400/413/431/500).
  static http::Response transport_error(int status, std::string_view message);

 private:
  Services services_;
  SessionStore sessions_;  // the dashboard's sign-ins (admin/dashboard.hpp)
};

}  // namespace gatehouse::admin
