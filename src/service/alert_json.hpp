#pragma once
// JSON shapes of the alerting objects, as the API returns them (Cloudflare's
// alerting v3 names) and as audit events record them. A webhook's secret never
// appears: only whether one is set.
#include "store/alert_store.hpp"

#include <boost/json/object.hpp>

namespace gatehouse {

// {id, name, description, enabled, alert_type, mechanisms:{email:[{id}], webhooks:[{id}]},
//  filters:{token_id:[…]} (or {}), created, modified}
boost::json::object to_json(const AlertPolicy& p);
// {id, name, url, type:"generic", secret_set, created_at, updated_at, last_success, last_failure}
boost::json::object to_json(const WebhookDestination& w);
// One history row (Cloudflare's fields: id, name, description, alert_body, alert_type,
// mechanism, mechanism_type, policy_id, sent) plus the delivery state: status,
// attempts, last_error, created_at, next_attempt_at, token_id, token_name, policy_name,
// alert_correlation_id.
boost::json::object history_json(const OutboxMessage& m);
// GET available_alerts: grouped by product, {"Access": [{type, display_name, description, filter_options}]}.
boost::json::object available_alerts_json();

}  // namespace gatehouse
