#pragma once
// Settings for `gatehouse serve`: defaults < TOML file < GATEHOUSE_* environment <
// command-line flags. Loading throws std::runtime_error with a message naming the
// file, key or variable at fault (start-up only).
#include <chrono>
#include "notify/settings.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse::cli {

struct ServeConfig {
  std::string data_dir = "gatehouse-data";
  std::string admin_listen = "127.0.0.1:9000";
  // [admin] public_url: the dashboard's public origin, normalised ("https://gh.example.com");
  // "" = the admin listener's own address (admin/admin_origin.hpp).
  std::string admin_public_url;
  std::string edge_listen = "0.0.0.0:8080";
  std::size_t admin_body_limit = 1024 * 1024;
  unsigned edge_threads = 0;  // 0 = one per core
  std::string tls_cert;       // both set: the edge speaks TLS
  std::string tls_key;
  bool demo = false;          // echo origin + demo app and token (make run)
  // [smtp] and [alerts] (docs/alerts.md): where alert emails go, how often the
  // scheduler looks, how failed deliveries are retried.
  notify::SmtpSettings smtp;
  notify::AlertSettings alerts;
  // [logs] (docs/logs.md): how long the authentication log keeps rows, and whether
  // each row is also printed to stdout as a JSON line.
  std::chrono::microseconds log_retention = std::chrono::hours(24 * 30);
  bool log_stdout = false;
  // Peers whose X-Forwarded-For is believed, as CIDRs (docs/edge.md "What the origin
  // receives"). Unset: none at the edge, loopback for forward-auth.
  std::optional<std::vector<std::string>> trusted_proxies;
  // Allowed decisions coalesced within this window (docs/logs.md); 0 = one row each.
  std::chrono::microseconds log_coalesce = std::chrono::seconds(1);
};

struct ServeFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> admin_listen;
  std::optional<std::string> admin_public_url;
  std::optional<std::string> edge_listen;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  std::optional<unsigned> edge_threads;
  bool demo = false;
  bool log_json = false;  // --log-json: [logs] stdout = true
};

ServeConfig load_serve_config(const ServeFlags& flags);

}  // namespace gatehouse::cli
