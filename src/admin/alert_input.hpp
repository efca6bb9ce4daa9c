#pragma once
// Reading the alerting request bodies (hostile input): wrong types are 400s naming
// the field, e.g. "mechanisms.email[1].id must be a string". Internal to the admin module.
#include "service/alerts.hpp"

#include <boost/json/object.hpp>

namespace gatehouse::admin {

// {name, description, enabled, alert_type, mechanisms:{email:[{id}], webhooks:[{id}]},
//  filters:{token_id:[…]}}; unknown fields are ignored, pagerduty is refused.
Result<AlertPolicyInput> alert_policy_input(const boost::json::object& body);
// {name, url, secret}
Result<WebhookInput> webhook_input(const boost::json::object& body);

}  // namespace gatehouse::admin
