#pragma once
// Entry points of the subcommands. Each returns the process exit code: 0 success,
// 1 failure reported on stderr, 2 usage error.
#include "cli/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gatehouse::cli {

int run_serve(const ServeFlags& flags);

struct AdminTokenOptions {
  std::string data_dir;
  std::string name;
  std::string scope = "edit";
  std::optional<std::string> expires_in;  // a duration
  std::optional<std::string> account_id;
  std::string id;  // for revoke
  bool json = false;
};
int admin_token_create(const AdminTokenOptions& o);
int admin_token_list(const AdminTokenOptions& o);
int admin_token_revoke(const AdminTokenOptions& o);

int status(const std::string& data_dir, bool json);

// Clients of the admin API.
struct ApiOptions {
  std::string addr;       // --addr / GATEHOUSE_ADDR
  std::string api_token;  // --api-token / GATEHOUSE_TOKEN
  std::string account;    // --account / GATEHOUSE_ACCOUNT (default: the token's account)
  bool json = false;
};

struct TokenOptions {
  std::string ref;  // id, exact name or client_id
  std::optional<std::string> name;
  std::optional<std::string> duration;
  std::optional<std::string> previous_expires_at;
  std::optional<std::string> grace;  // rotate: keep the old secret this long
  std::optional<std::string> search;
  std::optional<int> page;
  std::optional<int> per_page;
  bool disabled = false;
  bool yes = false;
};

int token_command(const std::string& verb, const ApiOptions& api, const TokenOptions& t);

struct CurlOptions {
  std::string url;
  std::vector<std::string> curl_args;  // passed to curl unchanged
  std::string client_id;               // --client-id / GATEHOUSE_CLIENT_ID
  std::string client_secret;           // --client-secret / GATEHOUSE_CLIENT_SECRET
  std::string cache_dir;               // --cache-dir / GATEHOUSE_CURL_CACHE
};
int curl_command(const CurlOptions& o);

int keys_command(const std::string& verb, const ApiOptions& api, std::optional<int> interval_days);

}  // namespace gatehouse::cli
