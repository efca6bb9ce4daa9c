#pragma once
// JSON shapes of Access apps, policies and the organization, as the v4 API returns
// them (compat.md §1.3, §1.4) and as audit before/after values. No secrets here.
#include "core/app.hpp"
#include "core/policy.hpp"
#include "service/apps.hpp"
#include "service/policies.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace gatehouse {

boost::json::object to_json(const Rule& r);
// `precedence`: the link's, when shown inside an app (else the policy's own for an
// app-scoped policy, none for a reusable one). `apps`: for a reusable policy's
// app_count.
boost::json::object to_json(const Policy& p, std::optional<int> precedence, const std::vector<AppRef>* apps = nullptr);
boost::json::object to_json(const PolicyWithApps& p);
boost::json::object to_json(const AppWithPolicies& a);
boost::json::object to_json(const Organization& o);

// Go's time.Duration.String() for whole milliseconds: "500ms", "1.5s", "1m30s", "1h0m0s".
std::string format_go_duration(std::chrono::milliseconds d);

}  // namespace gatehouse
