// `gatehouse token …`: service-token lifecycle through the admin API.
#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/guarded.hpp"
#include "core/duration.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

std::string relative(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339, "time");
  if (!t) return rfc3339;
  const auto diff = *t - SystemClock().now();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(diff).count();
  const long long a = secs < 0 ? -secs : secs;
  std::string amount;
  if (a < 120) amount = std::to_string(a) + " seconds";
  else if (a < 7200) amount = std::to_string(a / 60) + " minutes";
  else if (a < 2 * 86400) amount = std::to_string(a / 3600) + " hours";
  else amount = std::to_string(a / 86400) + " days";
  return secs < 0 ? amount + " ago" : "in " + amount;
}

std::string expiry_text(const json::object& t) {
  const std::string e = str(t, "expires_at");
  if (e.empty()) return "never (forever)";
  return e + " (" + relative(e) + ")";
}

std::string status_of(const json::object& t) {
  const auto* enabled = t.if_contains("enabled");
  if (enabled && enabled->is_bool() && !enabled->as_bool()) return "disabled";
  const std::string e = str(t, "expires_at");
  if (!e.empty()) {
    auto at = parse_rfc3339(e, "expires_at");
    if (at && *at <= SystemClock().now()) return "expired";
    if (at && *at - SystemClock().now() < std::chrono::hours(24 * 7)) return "expiring";
  }
  return "active";
}

void print_details(const json::object& t) {
  std::cout << "  Name:            " << str(t, "name") << "\n"
            << "  Token ID:        " << str(t, "id") << "\n"
            << "  Client ID:       " << str(t, "client_id") << "\n"
            << "  Status:          " << status_of(t) << "\n"
            << "  Duration:        " << str(t, "duration") << "\n"
            << "  Expires:         " << expiry_text(t) << "\n"
            << "  Secret version:  " << str(t, "client_secret_version") << "\n";
  const std::string prev = str(t, "previous_client_secret_expires_at");
  if (!prev.empty()) std::cout << "  Previous secret: accepted until " << prev << " (" << relative(prev) << ")\n";
  const std::string seen = str(t, "last_seen_at");
  std::cout << "  Last seen:       " << (seen.empty() ? "never" : seen) << "\n"
            << "  Created:         " << str(t, "created_at") << "\n"
            << "  Updated:         " << str(t, "updated_at") << "\n";
}

void print_secret(const json::object& t, const char* what) {
  const std::string id = str(t, "client_id");
  const std::string secret = str(t, "client_secret");
  std::cout << what << "\n\n";
  print_details(t);
  std::cout << "  Client Secret:   " << secret << "\n\n"
            << "Send these two headers from your client:\n\n"
            << "  CF-Access-Client-Id: " << id << "\n"
            << "  CF-Access-Client-Secret: " << secret << "\n\n"
            << "WARNING: the Client Secret is shown only this once. Store it now (for example in your CI's\n"
            << "secret store); it cannot be displayed again. If it is lost, rotate the token.\n";
}

void print_table(const json::array& tokens) {
  if (tokens.empty()) {
    std::cout << "No service tokens. Create one with: gatehouse token create --name NAME\n";
    return;
  }
  std::printf("%-36s  %-24s  %-42s  %-9s  %-3s  %s\n", "ID", "NAME", "CLIENT ID", "STATUS", "VER", "EXPIRES");
  for (const auto& v : tokens) {
    const auto& t = v.as_object();
    std::string name = str(t, "name");
    if (name.size() > 24) name = name.substr(0, 21) + "...";
    const std::string exp = str(t, "expires_at");
    std::printf("%-36s  %-24s  %-42s  %-9s  %-3s  %s\n", str(t, "id").c_str(), name.c_str(),
                str(t, "client_id").c_str(), status_of(t).c_str(), str(t, "client_secret_version").c_str(),
                exp.empty() ? "never" : (exp + " (" + relative(exp) + ")").c_str());
  }
}

struct Context {
  ApiClient client;
  std::string base;  // /client/v4/accounts/{a}/access/service_tokens
};

Context connect(const ApiOptions& api) {
  AccountApi a = connect_account(api);
  return Context{std::move(a.client), a.base + "/access/service_tokens"};
}

// A token may be named by id, by exact name, or by client_id.
std::string resolve(Context& ctx, const std::string& ref) {
  if (ref.empty()) throw std::runtime_error("name the token: its id, name or client id");
  if (is_uuid(ref)) return ref;
  const std::string query = is_client_id(ref) ? "?search=" + url_encode(ref) : "?name=" + url_encode(ref);
  auto found = ctx.client.call("GET", ctx.base + query + "&per_page=1000");
  std::vector<std::string> ids;
  for (const auto& v : found.as_array()) {
    const auto& t = v.as_object();
    if (str(t, "name") == ref || str(t, "client_id") == ref) ids.push_back(str(t, "id"));
  }
  if (ids.empty()) throw std::runtime_error("no service token with id, name or client id \"" + ref + "\"");
  if (ids.size() > 1)
    throw std::runtime_error(std::to_string(ids.size()) + " service tokens are named \"" + ref +
                             "\"; use the token id instead (gatehouse token list --name '" + ref + "')");
  return ids.front();
}

void output(const ApiOptions& api, const json::value& v, const char* headline) {
  if (api.json) {
    std::cout << json::serialize(v) << "\n";
    return;
  }
  std::cout << headline << "\n\n";
  print_details(v.as_object());
}

void validate_duration(const std::optional<std::string>& d) {
  if (!d) return;
  auto parsed = parse_duration(*d);
  if (!parsed) throw std::runtime_error("--duration: " + parsed.error().message);
}

}  // namespace

int token_command(const std::string& verb, const ApiOptions& api, const TokenOptions& o) {
  return guarded([&]() -> int {
    validate_duration(o.duration);  // fail fast, before any request
    Context ctx = connect(api);
    if (verb == "create") {
      json::object body{{"name", o.name.value_or(o.ref)}};
      if (o.duration) body["duration"] = *o.duration;
      if (o.disabled) body["enabled"] = false;
      auto t = ctx.client.call("POST", ctx.base, json::value(body));
      if (api.json) std::cout << json::serialize(t) << "\n";
      else print_secret(t.as_object(), ("Created service token \"" + str(t.as_object(), "name") + "\".").c_str());
      return 0;
    }
    if (verb == "list") {
      json::array all;
      std::string filter;
      if (o.name) filter += "&name=" + url_encode(*o.name);
      if (o.search) filter += "&search=" + url_encode(*o.search);
      if (o.page || o.per_page) {
        auto r = ctx.client.call("GET", ctx.base + "?page=" + std::to_string(o.page.value_or(1)) +
                                            "&per_page=" + std::to_string(o.per_page.value_or(20)) + filter);
        all = r.as_array();
      } else {
        for (int page = 1;; ++page) {  // every page, until an empty one
          auto r = ctx.client.call("GET", ctx.base + "?page=" + std::to_string(page) + "&per_page=1000" + filter);
          if (r.as_array().empty()) break;
          for (auto& v : r.as_array()) all.push_back(v);
          if (r.as_array().size() < 1000) break;
        }
      }
      if (api.json) std::cout << json::serialize(all) << "\n";
      else print_table(all);
      return 0;
    }
    const std::string id = resolve(ctx, o.ref);
    const std::string path = ctx.base + "/" + url_encode(id);
    if (verb == "show") {
      output(api, ctx.client.call("GET", path), "Service token:");
    } else if (verb == "edit") {
      json::object body;
      if (o.name) body["name"] = *o.name;
      if (o.duration) body["duration"] = *o.duration;
      if (o.previous_expires_at) body["previous_client_secret_expires_at"] = *o.previous_expires_at;
      if (body.empty()) throw std::runtime_error("nothing to change: give --name, --duration or --previous-secret-expires-at");
      output(api, ctx.client.call("PUT", path, json::value(body)), "Updated service token:");
    } else if (verb == "refresh") {
      output(api, ctx.client.call("POST", path + "/refresh"), "Refreshed (expiry extended by one year):");
    } else if (verb == "rotate") {
      json::object body;
      if (o.grace && o.previous_expires_at)
        throw std::runtime_error("give either --grace or --previous-secret-expires-at, not both");
      if (o.grace) {
        auto d = parse_duration(*o.grace);
        if (!d || d->forever()) throw std::runtime_error("--grace: " + (d ? std::string("must not be forever") : d.error().message));
        body["previous_client_secret_expires_at"] = format_rfc3339(*expiry_after(SystemClock().now(), *d));
      }
      if (o.previous_expires_at) body["previous_client_secret_expires_at"] = *o.previous_expires_at;
      auto t = ctx.client.call("POST", path + "/rotate", json::value(body));
      if (api.json) std::cout << json::serialize(t) << "\n";
      else print_secret(t.as_object(), "Rotated: a new Client Secret was issued.");
    } else if (verb == "enable" || verb == "disable") {
      output(api, ctx.client.call("PUT", path, json::value(json::object{{"enabled", verb == "enable"}})),
             verb == "enable" ? "Enabled service token:" : "Disabled service token (both secrets and its JWTs are refused):");
    } else if (verb == "delete") {
      output(api, ctx.client.call("DELETE", path), "Deleted service token (its secrets and JWTs are refused from now on):");
    } else {
      std::cerr << "gatehouse: unknown token command \"" << verb << "\"\n";
      return 2;
    }
    return 0;
  });
}

}  // namespace gatehouse::cli
