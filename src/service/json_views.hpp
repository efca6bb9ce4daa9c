#pragma once
// JSON shapes of the domain objects, as the API returns them (compat.md §1.2). Also
// used for audit before/after values, so they never contain a secret or a hash.
#include "core/account.hpp"
#include "core/service_token.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace gatehouse {

boost::json::value json_time(const std::optional<Time>& t);
boost::json::object to_json(const ServiceToken& t);
boost::json::object to_json(const Account& a);
boost::json::object to_json(const ApiToken& t, Time now);
boost::json::object to_json(const AuditEvent& e);

std::string serialize(const boost::json::value& v);

}  // namespace gatehouse
