#pragma once
// Inactivity cleanup (compat.md §1.4 service_token_inactivity): for each organization
// that enables it, tokens whose last use — or creation, if never used — lies more than
// inactivity_threshold_days before now are disabled or deleted (per `action`).
//
// Each change goes through the service layer, so it is audited (actor: the system,
// with the reason in its name) and the edge snapshot is rebuilt. Run by the background
// worker after the last-seen times have been flushed (a use still in memory would not
// count otherwise).
#include "service/services.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gatehouse::audit {

struct InactivityOutcome {
  std::string account_id;
  std::string token_id;
  std::string token_name;
  std::string action;  // "disable" | "delete"
  std::string reason;  // also the audit actor's name
  std::optional<Error> error;  // the change failed (the others are still made)
};

// Returns one entry per token acted on (or attempted).
Result<std::vector<InactivityOutcome>> apply_token_inactivity(Services& s);

}  // namespace gatehouse::audit
