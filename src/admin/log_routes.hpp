#pragma once
// /accounts/{a}/access/logs/access_requests: the authentication log (compat.md §1.6).
// `log` is null when the server runs without one (the route then answers 404).
#include "admin/routes.hpp"
#include "store/access_log_store.hpp"

namespace gatehouse::admin {

http::Response route_access_logs(Call& call, std::span<const std::string> rest, AccessLogStore* log);

}  // namespace gatehouse::admin
