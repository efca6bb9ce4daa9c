#pragma once
// A small synchronous client of the admin API (libcurl), for the CLI's resource
// commands. Failures come back as a message ready for stderr.
#include "cli/commands.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::cli {

struct ApiReply {
  long status = 0;
  boost::json::value body;  // the parsed envelope
};

class ApiClient {
 public:
  ApiClient(std::string base_url, std::string api_token);

  // `path` starts with "/client/v4/…". `body` is sent as JSON when given.
  // Returns the envelope's `result` on success; otherwise throws std::runtime_error
  // with the server's error messages (or the transport error).
  boost::json::value call(const std::string& method, const std::string& path,
                          const std::optional<boost::json::value>& body = std::nullopt,
                          boost::json::value* result_info = nullptr);

 private:
  ApiReply send(const std::string& method, const std::string& path, const std::optional<std::string>& body);
  std::string base_url_;
  std::string api_token_;
};

std::string url_encode(const std::string& s);

// A field as text ("" when absent or null; non-strings serialised).
std::string str(const boost::json::object& o, std::string_view key);

struct AccountApi {
  ApiClient client;
  std::string base;  // "/client/v4/accounts/{account_id}"
};

// The client of `api` and its account: --account, else the first the token sees.
// Throws std::runtime_error without a token or an account.
AccountApi connect_account(const ApiOptions& api);

}  // namespace gatehouse::cli
