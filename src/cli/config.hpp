#pragma once
// Settings for `gatehouse serve`: defaults < TOML file < GATEHOUSE_* environment <
// command-line flags. Loading throws std::runtime_error with a message naming the
// file, key or variable at fault (start-up only).
#include <cstddef>
#include <optional>
#include <string>

namespace gatehouse::cli {

struct ServeConfig {
  std::string data_dir = "gatehouse-data";
  std::string admin_listen = "127.0.0.1:9000";
  std::string edge_listen = "0.0.0.0:8080";
  std::size_t admin_body_limit = 1024 * 1024;
};

struct ServeFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> admin_listen;
  std::optional<std::string> edge_listen;
};

ServeConfig load_serve_config(const ServeFlags& flags);

}  // namespace gatehouse::cli
