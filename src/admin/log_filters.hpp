#pragma once
// Query-string filters of the two log endpoints, read as hostile input: every bad or
// unknown parameter is named in one 400 (a misspelt filter must not silently widen
// the result to everything).
//   …/access/logs/access_requests: since, until (RFC 3339), limit, direction (asc|desc),
//     page, per_page, service_token_name (or name), service_token_id (or token_id),
//     client_id, app | app_id | app_uid | app_domain (each an app id or domain; several
//     = any of them), allowed (true|false), reason, ray_id, ip_address.
//   …/audit_logs: since, until (or before), direction, page, per_page, action (or
//     action.type), resource_type, resource_id, resource_name, actor.
#include "admin/request_input.hpp"
#include "store/access_log_store.hpp"
#include "store/store.hpp"

namespace gatehouse::admin {

Result<AccessRequestQuery> access_request_query(const Target& t, const std::string& account_id);
Result<AuditQuery> audit_query(const Target& t, const std::string& account_id);

}  // namespace gatehouse::admin
