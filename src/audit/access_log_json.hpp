#pragma once
// The JSON shape of an authentication-log row (compat.md §1.6), shared by the admin
// API and the stdout mirror; and the mapping from what the edge reports to a row.
#include "edge/access_log.hpp"
#include "store/access_log_store.hpp"

#include <boost/json/object.hpp>

namespace gatehouse::audit {

// {"id", "created_at", "action": "login", "allowed", "app_domain", "app_uid" (= "app_id"),
//  "ip_address", "ray_id", "user_email": "", "service_token_id", "service_token_name",
//  "client_id", "reason", "client_secret_version", "credential"}. `id` only when the
// row is stored (id > 0).
boost::json::object to_json(const AccessRequest& r);

// Moves the strings out of `record`. The host loses its port and case, so that a
// filter on the app's domain finds it.
AccessRequest to_row(edge::AccessRecord&& record);

}  // namespace gatehouse::audit
