#pragma once
// `gatehouse alert …`: expiring-token alert policies, webhook destinations, send-test,
// history and available alert types, through the admin API (compat.md §1.5).
#include "cli/commands.hpp"

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gatehouse::cli {

struct AlertOptions {
  std::string ref;  // a policy or webhook: id or exact name
  std::optional<std::string> name, description, url, secret, secret_file;
  std::vector<std::string> emails;    // replaces the recipients when given
  std::vector<std::string> webhooks;  // ids or names; replaces the list when given
  std::vector<std::string> tokens;    // ids, names or client ids; replaces the filter when given
  bool clear_emails = false, clear_webhooks = false, all_tokens = false;
  bool disabled = false;              // create: start disabled
  std::optional<bool> enabled;        // edit
  // test: how long to wait for the outcome
  std::string wait = "30s";
  bool no_wait = false;
  // history
  std::optional<std::string> since, before;
  int limit = 50;
};

// `what` is "policy", "webhook", "history" or "available"; `verb` the action.
int alert_command(const std::string& what, const std::string& verb, const ApiOptions& api, const AlertOptions& o);

void add_alert_commands(CLI::App& app, ApiOptions& api, int& rc);

}  // namespace gatehouse::cli
