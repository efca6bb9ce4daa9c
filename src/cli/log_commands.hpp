#pragma once
// `gatehouse logs` (the authentication log, compat.md §1.6) and `gatehouse audit`
// (the audit log of admin changes): clients of the admin API.
#include "cli/commands.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace gatehouse::cli {

struct LogsOptions {
  std::optional<std::string> token;  // name, id or client id
  std::optional<std::string> app;    // id, name or domain
  bool allowed = false;
  bool denied = false;
  std::optional<std::string> since;  // RFC 3339, or a Go duration meaning "that long ago"
  std::optional<std::string> until;
  std::optional<std::string> reason;
  int limit = 50;  // rows shown (the newest ones) before --follow takes over
  bool follow = false;
  std::string interval = "1s";  // --follow polling interval (Go duration)
};

struct AuditOptions {
  std::optional<std::string> action;    // e.g. service_token.disable
  std::optional<std::string> resource;  // id or name
  std::optional<std::string> resource_type;
  std::optional<std::string> actor;  // id or name
  std::optional<std::string> since;
  std::optional<std::string> until;
  int limit = 50;
};

int logs_command(const ApiOptions& api, const LogsOptions& o);
int audit_command(const ApiOptions& api, const AuditOptions& o);

// "--since 1h" or "--since 2026-01-31T12:00:00Z" -> RFC 3339 (throws naming `flag`).
std::string time_argument(const std::string& value, const std::string& flag);

void add_log_commands(CLI::App& app, ApiOptions& api, int& rc);

}  // namespace gatehouse::cli
