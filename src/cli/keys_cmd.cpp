// `gatehouse keys show|rotate|set-interval`: the account's JWT signing keys through
// the admin API (compat.md §1.4).
#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/guarded.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <iostream>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

std::string account_of(ApiClient& client, const ApiOptions& api) {
  if (!api.account.empty()) return api.account;
  auto accounts = client.call("GET", "/client/v4/accounts");
  if (!accounts.is_array() || accounts.as_array().empty())
    throw std::runtime_error("the API token sees no account; pass --account");
  return std::string(accounts.as_array()[0].as_object().at("id").as_string());
}

void print(const json::value& v, const ApiOptions& api, const char* headline) {
  if (api.json) {
    std::cout << json::serialize(v) << "\n";
    return;
  }
  const auto& o = v.as_object();
  const auto* last = o.if_contains("last_key_rotation_at");
  std::cout << headline << "\n"
            << "  Rotation interval:   " << json::serialize(o.at("key_rotation_interval_days")) << " days\n"
            << "  Last rotation:       " << (last && last->is_string() ? std::string(last->as_string()) : "never") << "\n"
            << "  Next rotation in:    " << json::serialize(o.at("days_until_next_rotation")) << " days\n"
            << "  Rotated-out keys stay in /cdn-cgi/access/certs for 7 days.\n";
}

}  // namespace

int keys_command(const std::string& verb, const ApiOptions& api, std::optional<int> interval_days) {
  return guarded([&]() -> int {
    if (api.api_token.empty())
      throw std::runtime_error("no API token: pass --api-token or set GATEHOUSE_TOKEN");
    ApiClient client(api.addr, api.api_token);
    const std::string base = "/client/v4/accounts/" + url_encode(account_of(client, api)) + "/access/keys";
    if (verb == "show") {
      print(client.call("GET", base), api, "Signing keys:");
    } else if (verb == "rotate") {
      print(client.call("POST", base + "/rotate", json::value(json::object{})), api,
            "Rotated: new JWTs are signed with a new key; JWTs signed with the old one verify for 7 more days.");
    } else if (verb == "set-interval") {
      if (!interval_days) throw std::runtime_error("give the interval: gatehouse keys set-interval DAYS");
      print(client.call("PUT", base, json::value(json::object{{"key_rotation_interval_days", *interval_days}})), api,
            "Updated:");
    } else {
      std::cerr << "gatehouse: unknown keys command \"" << verb << "\"\n";
      return 2;
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
