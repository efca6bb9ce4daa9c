// The command line of `gatehouse alert …` (CLI11 wiring only).
#include "cli/alert_commands.hpp"

#include <CLI/CLI.hpp>

#include <memory>

namespace gatehouse::cli {

void add_alert_commands(CLI::App& app, ApiOptions& api, int& rc) {
  // The option storage lives as long as the callbacks that read it.
  auto o = std::make_shared<AlertOptions>();
  auto* alert = app.add_subcommand(
      "alert", "Expiring-token alerts: policies (email, webhooks), webhook destinations, tests and history");
  alert->require_subcommand(1);
  alert->fallthrough();
  alert->add_option("--addr", api.addr, "Admin API address (env GATEHOUSE_ADDR; default http://127.0.0.1:9000)");
  alert->add_option("--api-token", api.api_token, "Admin API token (env GATEHOUSE_TOKEN)");
  alert->add_option("--account", api.account, "Account id (env GATEHOUSE_ACCOUNT; default: the API token's account)");
  alert->add_flag("--json", api.json, "Print JSON instead of text");

  auto verb = [&, o](CLI::App* group, const char* what, const char* name, const char* help, const char* ref_help) {
    auto* c = group->add_subcommand(name, help);
    if (ref_help) c->add_option(std::string(what) == "policy" ? "policy" : "webhook", o->ref, ref_help)->required();
    c->callback([&rc, &api, o, what, name] { rc = alert_command(what, name, api, *o); });
    return c;
  };
  auto wait_options = [o](CLI::App* c) {
    c->add_option("--wait", o->wait, "How long to wait for the outcome (Go duration; default 30s)");
    c->add_flag("--no-wait", o->no_wait, "Only queue the test message");
  };

  auto* policy = alert->add_subcommand("policy", "Alert policies: who hears about tokens that expire within 7 days");
  policy->require_subcommand(1);
  policy->fallthrough();
  auto policy_fields = [o](CLI::App* c) {
    c->add_option("--description", o->description, "Description");
    c->add_option("--email", o->emails, "Email recipient (repeatable; replaces the recipients)");
    c->add_option("--webhook", o->webhooks, "Webhook destination by id or name (repeatable; replaces the list)");
    c->add_option("--token", o->tokens,
                  "Only this service token, by id, name or client id (repeatable; default: every token)");
  };
  auto* p_create = verb(policy, "policy", "create", "Create an expiring_service_token_alert policy", nullptr);
  p_create->add_option("name", o->ref, "Name (or --name)");
  p_create->add_option("--name", o->name, "Name of the policy");
  policy_fields(p_create);
  p_create->add_flag("--disabled", o->disabled, "Create it disabled");
  verb(policy, "policy", "list", "List alert policies", nullptr);
  verb(policy, "policy", "show", "Show one alert policy", "Policy id or exact name");
  auto* p_edit = verb(policy, "policy", "edit", "Change an alert policy (only the options given)", "Policy id or exact name");
  p_edit->add_option("--name", o->name, "New name");
  policy_fields(p_edit);
  p_edit->add_flag("--clear-emails", o->clear_emails, "Remove every email recipient");
  p_edit->add_flag("--clear-webhooks", o->clear_webhooks, "Remove every webhook");
  p_edit->add_flag("--all-tokens", o->all_tokens, "Cover every service token (drop the --token filter)");
  p_edit->add_flag_callback("--enable", [o] { o->enabled = true; }, "Enable the policy");
  p_edit->add_flag_callback("--disable", [o] { o->enabled = false; }, "Disable the policy (it stops firing)");
  verb(policy, "policy", "delete", "Delete an alert policy", "Policy id or exact name");
  wait_options(verb(policy, "policy", "test", "Send a test notification to every recipient and webhook of a policy",
                    "Policy id or exact name"));

  auto* webhook = alert->add_subcommand("webhook", "Webhook destinations (JSON POSTs with the cf-webhook-auth secret)");
  webhook->require_subcommand(1);
  webhook->fallthrough();
  auto webhook_fields = [o](CLI::App* c) {
    c->add_option("--url", o->url, "URL to POST alerts to (http:// or https://)");
    c->add_option("--secret", o->secret, "Sent as the cf-webhook-auth header (never shown again)");
    c->add_option("--secret-file", o->secret_file, "Read the secret from this file (- for standard input)");
  };
  auto* w_create = verb(webhook, "webhook", "create", "Create a webhook destination", nullptr);
  w_create->add_option("name", o->ref, "Name (or --name)");
  w_create->add_option("--name", o->name, "Name of the destination");
  webhook_fields(w_create);
  verb(webhook, "webhook", "list", "List webhook destinations", nullptr);
  verb(webhook, "webhook", "show", "Show one webhook destination (never its secret)", "Webhook id or exact name");
  auto* w_edit = verb(webhook, "webhook", "edit", "Change a webhook destination", "Webhook id or exact name");
  w_edit->add_option("--name", o->name, "New name");
  webhook_fields(w_edit);
  verb(webhook, "webhook", "delete", "Delete a webhook destination (not while a policy uses it)",
       "Webhook id or exact name");
  wait_options(verb(webhook, "webhook", "test", "Send a test notification to a webhook destination",
                    "Webhook id or exact name"));

  auto* hist = alert->add_subcommand("history", "What was sent, when, to whom, for which token, and the outcome");
  hist->add_option("--since", o->since, "Only messages queued at or after this RFC 3339 instant");
  hist->add_option("--before", o->before, "Only messages queued before this RFC 3339 instant");
  hist->add_option("--limit", o->limit, "How many, newest first (1-1000; default 50)");
  hist->callback([&rc, &api, o] { rc = alert_command("history", "list", api, *o); });
  alert->add_subcommand("available", "The alert types this server sends")->callback([&rc, &api, o] {
    rc = alert_command("available", "list", api, *o);
  });
}

}  // namespace gatehouse::cli
