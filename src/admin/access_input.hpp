#pragma once
// Reading the JSON bodies of the Access endpoints (apps, policies, organization)
// into the service layer's inputs. Only shapes and types are checked here (wrong
// type, unknown or unsupported rule type: 400 naming the field); values are
// validated by the services. Unknown fields are ignored (compat.md §1.1).
#include "core/error.hpp"
#include "service/apps.hpp"
#include "service/organization.hpp"
#include "service/policies.hpp"

#include <boost/json/object.hpp>

namespace gatehouse::admin {

Result<PolicyInput> policy_input(const boost::json::object& body, const std::string& field_prefix = "");
Result<AppInput> app_input(const boost::json::object& body);
Result<OrganizationInput> organization_input(const boost::json::object& body);

}  // namespace gatehouse::admin
