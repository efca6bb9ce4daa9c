#include "audit/access_log_json.hpp"

#include "policy/app_matcher.hpp"

namespace gatehouse::audit {

boost::json::object to_json(const AccessRequest& r) {
  boost::json::object o;
  if (r.id > 0) o["id"] = r.id;
  o["created_at"] = format_rfc3339(r.created_at);
  o["action"] = "login";
  o["allowed"] = r.allowed;
  o["app_domain"] = r.app_domain;
  o["app_uid"] = r.app_id;
  o["app_id"] = r.app_id;
  o["ip_address"] = r.ip_address;
  o["ray_id"] = r.ray_id;
  o["user_email"] = "";
  o["service_token_id"] = r.service_token_id;
  o["service_token_name"] = r.service_token_name;
  o["client_id"] = r.client_id;
  o["reason"] = r.reason;
  o["client_secret_version"] = r.client_secret_version;
  o["credential"] = r.via_jwt ? "jwt" : "client_secret";
  o["count"] = r.count;
  return o;
}

AccessRequest to_row(edge::AccessRecord&& record) {
  AccessRequest r;
  r.created_at = record.at;
  r.account_id = std::move(record.account_id);
  r.app_id = std::move(record.app_id);
  std::string host = AppMatcher::normalize_host(record.app_domain);
  r.app_domain = host.empty() ? std::move(record.app_domain) : std::move(host);
  r.service_token_id = std::move(record.service_token_id);
  r.service_token_name = std::move(record.service_token_name);
  r.client_id = std::move(record.client_id);
  r.allowed = record.allowed;
  r.reason = std::move(record.reason);
  r.ip_address = std::move(record.ip_address);
  r.ray_id = std::move(record.ray_id);
  r.client_secret_version = record.client_secret_version;
  r.via_jwt = record.via_jwt;
  r.count = record.count;
  return r;
}

}  // namespace gatehouse::audit
