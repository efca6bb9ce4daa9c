#include "admin/log_routes.hpp"

#include "admin/envelope.hpp"
#include "admin/log_filters.hpp"
#include "audit/access_log_json.hpp"

namespace gatehouse::admin {

http::Response route_access_logs(Call& call, std::span<const std::string> rest, AccessLogStore* log) {
  if (rest.size() != 1 || rest[0] != "access_requests")
    return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
  if (call.req.method != "GET") return method_not_allowed("GET");
  if (log == nullptr)
    return fail(not_found("access_log_unavailable", "this server keeps no authentication log"));
  auto q = access_request_query(call.target, call.account_id);
  if (!q) return fail(q.error());
  auto rows = log->list_access_requests(*q);
  if (!rows) return fail(rows.error());
  boost::json::array items;
  for (const auto& r : rows->items) items.push_back(audit::to_json(r));
  return ok_page(std::move(items), q->page, rows->total_count);
}

}  // namespace gatehouse::admin
