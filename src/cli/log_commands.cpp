// The command lines of `gatehouse logs` and `gatehouse audit` (CLI11 wiring only).
#include "cli/log_commands.hpp"

#include <CLI/CLI.hpp>

#include <memory>

namespace gatehouse::cli {

namespace {

void connection(CLI::App* c, ApiOptions& api) {
  c->add_option("--addr", api.addr, "Admin API address (env GATEHOUSE_ADDR; default http://127.0.0.1:9000)");
  c->add_option("--api-token", api.api_token, "Admin API token (env GATEHOUSE_TOKEN)");
  c->add_option("--account", api.account, "Account id (env GATEHOUSE_ACCOUNT; default: the API token's account)");
  c->add_flag("--json", api.json, "Print one JSON object per line instead of a table");
}

}  // namespace

void add_log_commands(CLI::App& app, ApiOptions& api, int& rc) {
  auto lo = std::make_shared<LogsOptions>();
  auto* logs = app.add_subcommand(
      "logs", "Show the authentication log: every decision about a known service token (newest last)");
  connection(logs, api);
  logs->add_option("--token", lo->token, "Only this service token: name, id or client id");
  logs->add_option("--app", lo->app, "Only this application: id, name or domain");
  auto* allowed = logs->add_flag("--allowed", lo->allowed, "Only allowed requests");
  logs->add_flag("--denied", lo->denied, "Only refused requests")->excludes(allowed);
  logs->add_option("--since", lo->since, "From this time: RFC 3339, or a duration ago (e.g. 1h, 30m)");
  logs->add_option("--until", lo->until, "Up to this time: RFC 3339, or a duration ago");
  logs->add_option("--reason", lo->reason, "Only this reason slug (e.g. bad_secret, service_token_expired)");
  logs->add_option("--limit", lo->limit, "How many of the newest rows to show (1-1000, default 50)")
      ->check(CLI::Range(1, 1000));
  logs->add_flag("-f,--follow", lo->follow, "Keep printing new rows as they are logged (Ctrl-C stops)");
  logs->add_option("--interval", lo->interval, "How often --follow asks for new rows (Go duration, default 1s)");
  logs->callback([&rc, &api, lo] { rc = logs_command(api, *lo); });

  auto ao = std::make_shared<AuditOptions>();
  auto* audit = app.add_subcommand("audit", "Show the audit log: every admin change (who, what, when), newest first");
  connection(audit, api);
  audit->add_option("--action", ao->action, "Only this action, e.g. service_token.disable");
  audit->add_option("--resource", ao->resource, "Only changes to this object: id or name");
  audit->add_option("--resource-type", ao->resource_type, "Only this kind of object, e.g. access.service_token");
  audit->add_option("--actor", ao->actor, "Only changes by this actor: API token id or name, or \"service_token_inactivity\"");
  audit->add_option("--since", ao->since, "From this time: RFC 3339, or a duration ago (e.g. 24h)");
  audit->add_option("--until", ao->until, "Up to this time: RFC 3339, or a duration ago");
  audit->add_option("--limit", ao->limit, "How many events to show (1-1000, default 50)")->check(CLI::Range(1, 1000));
  audit->callback([&rc, &api, ao] { rc = audit_command(api, *ao); });
}

}  // namespace gatehouse::cli
