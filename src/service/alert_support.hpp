#pragma once
// Small helpers shared by the alert services. Internal to src/service.
#include "core/ids.hpp"
#include "service/alert_payload.hpp"
#include "service/alerts.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace gatehouse::alert_detail {

namespace json = boost::json;

inline Result<void> need_alerting(const Services& s) {
  if (s.alerting == nullptr)
    return internal_error("alerting_unavailable", "alerting is not available in this process");
  return {};
}

inline std::string quoted(std::string_view s) { return "\"" + std::string(s.substr(0, 64)) + "\""; }

// A send-test message, due at once.
inline OutboxMessage test_message(Services& s, const AlertPolicy& policy, OutboxKind kind, std::string address,
                                  const std::string& payload, const std::string& correlation, Time now) {
  OutboxMessage m;
  m.id = new_uuid(s.random);
  m.account_id = policy.account_id;
  m.policy_id = policy.id;
  m.policy_name = policy.name;
  m.alert_type = std::string(kTestAlertType);
  m.correlation_id = correlation;
  m.kind = kind;
  m.address = std::move(address);
  m.payload = payload;
  m.created_at = m.next_attempt_at = now;
  return m;
}

}  // namespace gatehouse::alert_detail
