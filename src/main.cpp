// Wiring only: the command line of `gatehouse`, dispatched to src/cli.
#include "cli/access_commands.hpp"
#include "cli/alert_commands.hpp"
#include "cli/commands.hpp"
#include "cli/log_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gatehouse::cli;
  CLI::App app{"Gatehouse: a self-hosted Zero Trust access gateway with Cloudflare Access-compatible service tokens",
               "gatehouse"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gatehouse 0.1.0");
  int rc = 0;

  // serve
  ServeFlags serve_flags;
  auto* serve = app.add_subcommand("serve", "Run the gateway: edge listener, admin API and background workers");
  serve->add_option("--config", serve_flags.config_file, "TOML config file (env GATEHOUSE_CONFIG)");
  serve->add_option("--data-dir", serve_flags.data_dir,
                    "Directory for the SQLite database (env GATEHOUSE_DATA_DIR; default ./gatehouse-data)");
  serve->add_option("--admin-listen", serve_flags.admin_listen,
                    "HOST:PORT of the admin API (env GATEHOUSE_ADMIN_LISTEN; default 127.0.0.1:9000; port 0 picks one)");
  serve->add_option("--admin-public-url", serve_flags.admin_public_url,
                    "Public origin of the dashboard, e.g. https://gatehouse.example.com behind a TLS proxy: the only "
                    "Origin its writes are accepted from; https makes the session cookie Secure "
                    "(env GATEHOUSE_ADMIN_PUBLIC_URL; [admin] public_url; default: the admin listener's address)");
  serve->add_option("--edge-listen", serve_flags.edge_listen,
                    "HOST:PORT of the edge (env GATEHOUSE_EDGE_LISTEN; default 0.0.0.0:8080; port 0 picks one)");
  serve->add_option("--tls-cert", serve_flags.tls_cert, "PEM certificate chain for the edge (env GATEHOUSE_TLS_CERT; SIGHUP reloads)");
  serve->add_option("--tls-key", serve_flags.tls_key, "PEM private key for the edge (env GATEHOUSE_TLS_KEY)");
  serve->add_option("--edge-threads", serve_flags.edge_threads, "Edge threads (default: one per core)");
  serve->add_flag("--demo", serve_flags.demo,
                  "Also start a built-in echo origin protected by the app \"demo\" (host localhost) and a demo token");
  serve->add_flag("--log-json", serve_flags.log_json,
                  "Also print every authentication-log record to stdout as a JSON line ([logs] stdout; "
                  "env GATEHOUSE_LOG_STDOUT=1)");
  serve->callback([&] { rc = run_serve(serve_flags); });

  // admin-token
  AdminTokenOptions at;
  at.data_dir = env_or("GATEHOUSE_DATA_DIR", "gatehouse-data");
  auto* admin_token = app.add_subcommand("admin-token", "Create, list and revoke admin API tokens (works on the data dir)");
  admin_token->require_subcommand(1);
  auto add_common = [&](CLI::App* c) {
    c->add_option("--data-dir", at.data_dir, "Data directory (env GATEHOUSE_DATA_DIR; default ./gatehouse-data)");
    c->add_option("--account", at.account_id, "Account id (default: the first account)");
    c->add_flag("--json", at.json, "Print JSON");
  };
  auto* at_create = admin_token->add_subcommand("create", "Create an API token and print it once");
  add_common(at_create);
  at_create->add_option("--name", at.name, "Name of the token")->required();
  at_create->add_option("--scope", at.scope, "read or edit (default edit)");
  at_create->add_option("--expires-in", at.expires_in, "Lifetime as a Go duration, e.g. 720h (default: no expiry)");
  at_create->callback([&] { rc = admin_token_create(at); });
  auto* at_list = admin_token->add_subcommand("list", "List API tokens (never their values)");
  add_common(at_list);
  at_list->callback([&] { rc = admin_token_list(at); });
  auto* at_revoke = admin_token->add_subcommand("revoke", "Revoke an API token");
  add_common(at_revoke);
  at_revoke->add_option("id", at.id, "Id of the API token")->required();
  at_revoke->callback([&] { rc = admin_token_revoke(at); });

  // status
  std::string status_dir = env_or("GATEHOUSE_DATA_DIR", "gatehouse-data");
  bool status_json = false;
  auto* status_cmd = app.add_subcommand("status", "Show the account, listeners and counts of a data dir");
  status_cmd->add_option("--data-dir", status_dir, "Data directory (env GATEHOUSE_DATA_DIR; default ./gatehouse-data)");
  status_cmd->add_flag("--json", status_json, "Print JSON");
  status_cmd->callback([&] { rc = status(status_dir, status_json); });

  // token
  ApiOptions api;
  api.addr = env_or("GATEHOUSE_ADDR", "http://127.0.0.1:9000");
  api.api_token = env_or("GATEHOUSE_TOKEN", "");
  api.account = env_or("GATEHOUSE_ACCOUNT", "");
  TokenOptions topt;
  auto* token = app.add_subcommand("token", "Manage service tokens through the admin API");
  token->require_subcommand(1);
  token->fallthrough();
  token->add_option("--addr", api.addr, "Admin API address (env GATEHOUSE_ADDR; default http://127.0.0.1:9000)");
  token->add_option("--api-token", api.api_token, "Admin API token (env GATEHOUSE_TOKEN)");
  token->add_option("--account", api.account, "Account id (env GATEHOUSE_ACCOUNT; default: the API token's account)");
  token->add_flag("--json", api.json, "Print JSON instead of text");
  auto verb = [&](const char* name, const char* help, bool needs_ref) {
    auto* c = token->add_subcommand(name, help);
    if (needs_ref) c->add_option("token", topt.ref, "Token id, exact name or client id")->required();
    c->callback([&, name] { rc = token_command(name, api, topt); });
    return c;
  };
  auto* t_create = verb("create", "Create a service token; prints the Client Secret once", false);
  t_create->add_option("name", topt.ref, "Name of the token (or --name)");
  t_create->add_option("--name", topt.name, "Name of the token (1-256 characters)");
  t_create->add_option("--duration", topt.duration, "Lifetime: Go duration (8760h) or forever (default 8760h)");
  t_create->add_flag("--disabled", topt.disabled, "Create it disabled");
  auto* t_list = verb("list", "List service tokens (every page unless --page is given)", false);
  t_list->add_option("--name", topt.name, "Only tokens with exactly this name");
  t_list->add_option("--search", topt.search, "Only tokens whose name or client id contains this");
  t_list->add_option("--page", topt.page, "Page number (1-based)");
  t_list->add_option("--per-page", topt.per_page, "Tokens per page (1-1000)");
  verb("show", "Show one service token", true);
  auto* t_edit = verb("edit", "Change name, duration (expiry becomes now + duration) or rotation grace", true);
  t_edit->add_option("--name", topt.name, "New name");
  t_edit->add_option("--duration", topt.duration, "New duration; the expiry becomes now + duration");
  t_edit->add_option("--previous-secret-expires-at", topt.previous_expires_at,
                     "RFC 3339 instant until which the previous secret is accepted");
  verb("refresh", "Extend the expiry by one year", true);
  auto* t_rotate = verb("rotate", "Issue a new Client Secret; prints it once", true);
  t_rotate->add_option("--grace", topt.grace, "Keep accepting the old secret this long (Go duration, e.g. 24h)");
  t_rotate->add_option("--previous-secret-expires-at", topt.previous_expires_at,
                       "Keep accepting the old secret until this RFC 3339 instant");
  verb("enable", "Enable a service token", true);
  verb("disable", "Disable a service token: its secrets and JWTs are refused at once", true);
  verb("delete", "Delete a service token: its secrets and JWTs are refused from the next request", true);

  // keys
  std::optional<int> interval_days;
  auto* keys = app.add_subcommand("keys", "Show and rotate the JWT signing keys through the admin API");
  keys->require_subcommand(1);
  keys->fallthrough();
  keys->add_option("--addr", api.addr, "Admin API address (env GATEHOUSE_ADDR; default http://127.0.0.1:9000)");
  keys->add_option("--api-token", api.api_token, "Admin API token (env GATEHOUSE_TOKEN)");
  keys->add_option("--account", api.account, "Account id (env GATEHOUSE_ACCOUNT)");
  keys->add_flag("--json", api.json, "Print JSON instead of text");
  keys->add_subcommand("show", "Rotation interval, last and next rotation")->callback([&] {
    rc = keys_command("show", api, std::nullopt);
  });
  keys->add_subcommand("rotate", "Rotate now: a new key signs, the old one verifies for 7 more days")->callback([&] {
    rc = keys_command("rotate", api, std::nullopt);
  });
  auto* set_interval = keys->add_subcommand("set-interval", "Set key_rotation_interval_days (21-365)");
  set_interval->add_option("days", interval_days, "Days between automatic rotations")->required();
  set_interval->callback([&] { rc = keys_command("set-interval", api, interval_days); });

  // app, policy, org
  add_access_commands(app, api, rc);

  // alert
  add_alert_commands(app, api, rc);

  // logs, audit
  add_log_commands(app, api, rc);

  // curl
  CurlOptions curl_opts;
  curl_opts.client_id = env_or("GATEHOUSE_CLIENT_ID", "");
  curl_opts.client_secret = env_or("GATEHOUSE_CLIENT_SECRET", "");
  auto* curl = app.add_subcommand(
      "curl", "Run curl with a service token: gatehouse curl [--client-id ID --client-secret S] URL [curl args]; "
              "the returned CF_Authorization JWT is kept per host (0600) and reused until it expires");
  curl->add_option("--client-id", curl_opts.client_id, "Client ID (env GATEHOUSE_CLIENT_ID)");
  curl->add_option("--client-secret", curl_opts.client_secret, "Client Secret (env GATEHOUSE_CLIENT_SECRET)");
  curl->add_option("--cache-dir", curl_opts.cache_dir,
                   "Where JWTs are kept (env GATEHOUSE_CURL_CACHE; default ~/.config/gatehouse/curl)");
  curl->prefix_command();
  curl->callback([&] {
    // The URL is the first argument that looks like one; everything else goes to curl.
    for (const auto& a : curl->remaining()) {
      if (curl_opts.url.empty() && (a.rfind("http://", 0) == 0 || a.rfind("https://", 0) == 0)) curl_opts.url = a;
      else curl_opts.curl_args.push_back(a);
    }
    rc = curl_command(curl_opts);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return rc;
}
