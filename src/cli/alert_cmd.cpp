// `gatehouse alert …`: alerting through the admin API.
#include "cli/access_client.hpp"
#include "cli/alert_commands.hpp"
#include "cli/guarded.hpp"
#include "core/duration.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

std::string clip(std::string s, std::size_t n) { return s.size() > n ? s.substr(0, n - 3) + "..." : s; }

// An object of a list by id or exact name.
std::string resolve(ApiClient& client, const std::string& path, const std::string& ref, const std::string& what) {
  if (ref.empty()) throw std::runtime_error("name the " + what + ": its id or name");
  if (is_uuid(ref)) return ref;
  std::vector<std::string> ids;
  for (const auto& v : get_all(client, path))
    if (str(v.as_object(), "name") == ref) ids.push_back(str(v.as_object(), "id"));
  if (ids.empty()) throw std::runtime_error("no " + what + " with id or name \"" + ref + "\"");
  if (ids.size() > 1)
    throw std::runtime_error(std::to_string(ids.size()) + " " + what + "s are named \"" + ref + "\"; use the id");
  return ids.front();
}

std::string resolve_token(AccountApi& a, const std::string& ref) {
  if (is_uuid(ref)) return ref;
  const std::string path =
      a.base + "/access/service_tokens?" + (is_client_id(ref) ? "search=" : "name=") + url_encode(ref);
  std::vector<std::string> ids;
  for (const auto& v : get_all(a.client, path)) {
    const auto& t = v.as_object();
    if (str(t, "name") == ref || str(t, "client_id") == ref) ids.push_back(str(t, "id"));
  }
  if (ids.size() != 1)
    throw std::runtime_error(ids.empty() ? "no service token with id, name or client id \"" + ref + "\""
                                         : std::to_string(ids.size()) + " service tokens are named \"" + ref +
                                               "\"; use the token id");
  return ids.front();
}

json::array id_list(const std::vector<std::string>& ids) {
  json::array out;
  for (const auto& id : ids) out.push_back(json::object{{"id", id}});
  return out;
}

std::vector<std::string> ids_of(const json::object& p, const char* kind) {
  std::vector<std::string> out;
  const auto* m = p.if_contains("mechanisms");
  if (m && m->is_object())
    if (const auto* list = m->as_object().if_contains(kind); list && list->is_array())
      for (const auto& v : list->as_array()) out.push_back(str(v.as_object(), "id"));
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* none) {
  if (v.empty()) return none;
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

json::object policy_body(AccountApi& a, const AlertOptions& o, bool creating, const json::object* current) {
  json::object b;
  if (o.name) b["name"] = *o.name;
  else if (creating) b["name"] = o.ref;
  if (creating) {
    b["alert_type"] = "expiring_service_token_alert";
    b["enabled"] = !o.disabled;
  }
  if (o.description) b["description"] = *o.description;
  if (o.enabled) b["enabled"] = *o.enabled;
  if (!o.emails.empty() && o.clear_emails) throw std::runtime_error("give either --email or --clear-emails");
  if (!o.webhooks.empty() && o.clear_webhooks) throw std::runtime_error("give either --webhook or --clear-webhooks");
  if (!o.tokens.empty() && o.all_tokens) throw std::runtime_error("give either --token or --all-tokens");
  const bool emails = !o.emails.empty() || o.clear_emails;
  const bool hooks = !o.webhooks.empty() || o.clear_webhooks;
  if (creating || emails || hooks) {
    // mechanisms replaces both lists: keep the one not being changed.
    std::vector<std::string> email_ids = emails || !current ? o.emails : ids_of(*current, "email");
    std::vector<std::string> hook_ids;
    if (hooks || !current) {
      for (const auto& w : o.webhooks)
        hook_ids.push_back(resolve(a.client, a.base + "/alerting/v3/destinations/webhooks", w, "webhook destination"));
    } else {
      hook_ids = ids_of(*current, "webhooks");
    }
    b["mechanisms"] = json::object{{"email", id_list(email_ids)}, {"webhooks", id_list(hook_ids)}};
  }
  if (!o.tokens.empty()) {
    json::array ids;
    for (const auto& t : o.tokens) ids.push_back(json::value(resolve_token(a, t)));
    b["filters"] = json::object{{"token_id", std::move(ids)}};
  } else if (o.all_tokens) {
    b["filters"] = json::object{};
  }
  if (creating && o.emails.empty() && o.webhooks.empty())
    throw std::runtime_error("give at least one --email ADDRESS or --webhook DESTINATION");
  return b;
}

void print_policy(const json::object& p) {
  std::string tokens = "every service token, current and future";
  if (const auto* f = p.if_contains("filters"); f && f->is_object())
    if (const auto* t = f->as_object().if_contains("token_id"); t && t->is_array()) {
      std::vector<std::string> ids;
      for (const auto& v : t->as_array()) ids.push_back(std::string(v.as_string()));
      tokens = joined(ids, "none");
    }
  std::cout << "  Name:          " << str(p, "name") << "\n"
            << "  Policy ID:     " << str(p, "id") << "\n"
            << "  Alert type:    " << str(p, "alert_type") << "\n"
            << "  Enabled:       " << (str(p, "enabled") == "true" ? "yes" : "no") << "\n"
            << "  Description:   " << str(p, "description") << "\n"
            << "  Emails:        " << joined(ids_of(p, "email"), "none") << "\n"
            << "  Webhooks:      " << joined(ids_of(p, "webhooks"), "none") << "\n"
            << "  Tokens:        " << tokens << "\n"
            << "  Created:       " << str(p, "created") << "\n"
            << "  Modified:      " << str(p, "modified") << "\n";
}

void print_webhook(const json::object& w) {
  std::cout << "  Name:          " << str(w, "name") << "\n"
            << "  Webhook ID:    " << str(w, "id") << "\n"
            << "  URL:           " << str(w, "url") << "\n"
            << "  Secret:        " << (str(w, "secret_set") == "true" ? "set (never shown)" : "none") << "\n"
            << "  Last success:  " << (str(w, "last_success").empty() ? "never" : str(w, "last_success")) << "\n"
            << "  Last failure:  " << (str(w, "last_failure").empty() ? "never" : str(w, "last_failure")) << "\n"
            << "  Created:       " << str(w, "created_at") << "\n";
}

void print_history(const json::array& items) {
  if (items.empty()) {
    std::cout << "Nothing sent yet.\n";
    return;
  }
  std::printf("%-19s  %-10s  %-24s  %-20s  %-30s  %s\n", "QUEUED (UTC)", "STATUS", "ALERT", "TOKEN", "TO", "ATTEMPTS / ERROR");
  for (const auto& v : items) {
    const auto& h = v.as_object();
    const std::string type = str(h, "alert_type");
    std::string token = type == "test" ? "(test)" : str(h, "token_name");
    std::string detail = str(h, "attempts");
    if (!str(h, "last_error").empty()) detail += "  " + clip(str(h, "last_error"), 60);
    std::string queued = str(h, "created_at").substr(0, 19);  // to the second, in UTC
    std::replace(queued.begin(), queued.end(), 'T', ' ');
    std::printf("%-19s  %-10s  %-24s  %-20s  %-30s  %s\n", queued.c_str(),
                str(h, "status").c_str(), clip(str(h, "name"), 24).c_str(), clip(token, 20).c_str(),
                clip(str(h, "mechanism_type") + ":" + str(h, "mechanism"), 30).c_str(), detail.c_str());
  }
}

std::optional<std::string> read_secret(const AlertOptions& o) {
  if (o.secret && o.secret_file) throw std::runtime_error("give either --secret or --secret-file");
  if (o.secret) return o.secret;
  if (!o.secret_file) return std::nullopt;
  std::string s;
  if (*o.secret_file == "-") {
    s.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream f(*o.secret_file);
    if (!f) throw std::runtime_error("cannot read " + *o.secret_file);
    s.assign(std::istreambuf_iterator<char>(f), {});
  }
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Polls the history until every queued message is delivered or failed, or `wait`
// passes: exit 0 only when all were delivered.
int await_test(AccountApi& a, const json::value& queued, const ApiOptions& api, const AlertOptions& o) {
  std::vector<std::string> ids;
  for (const auto& m : queued.at("messages").as_array()) ids.push_back(str(m.as_object(), "id"));
  if (o.no_wait) {
    if (api.json) std::cout << json::serialize(queued) << "\n";
    else std::cout << "Queued " << ids.size() << " test message(s); see them with: gatehouse alert history\n";
    return 0;
  }
  auto d = parse_duration(o.wait);
  if (!d) throw std::runtime_error("--wait: " + d.error().message);
  if (d->forever()) throw std::runtime_error("--wait must not be forever");
  const auto deadline = std::chrono::steady_clock::now() + *d->length;
  json::array outcome;
  bool settled = false;
  for (;;) {
    outcome.clear();
    settled = true;
    const json::value history = a.client.call("GET", a.base + "/alerting/v3/history?per_page=200");
    for (const auto& v : history.as_array()) {
      const auto& h = v.as_object();
      if (std::find(ids.begin(), ids.end(), str(h, "id")) == ids.end()) continue;
      outcome.push_back(v);
      const std::string status = str(h, "status");
      if (status != "delivered" && status != "failed") settled = false;
    }
    if (outcome.size() < ids.size()) settled = false;
    if (settled || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (api.json) {
    std::cout << json::serialize(outcome) << "\n";
  } else {
    std::cout << "Sent " << ids.size() << " test message(s):\n\n";
    print_history(outcome);
    if (!settled) std::cout << "\nNot all were delivered within " << o.wait << "; they keep retrying.\n";
  }
  if (!settled) return 1;
  for (const auto& v : outcome)
    if (str(v.as_object(), "status") != "delivered") return 1;
  return 0;
}

int policy_verb(AccountApi& a, const std::string& verb, const ApiOptions& api, const AlertOptions& o) {
  const std::string base = a.base + "/alerting/v3/policies";
  if (verb == "create") {
    auto r = a.client.call("POST", base, json::value(policy_body(a, o, true, nullptr)));
    auto p = a.client.call("GET", base + "/" + url_encode(str(r.as_object(), "id")));
    if (api.json) std::cout << json::serialize(p) << "\n";
    else {
      std::cout << "Created alert policy \"" << str(p.as_object(), "name") << "\".\n\n";
      print_policy(p.as_object());
    }
    return 0;
  }
  if (verb == "list") {
    auto all = get_all(a.client, base);
    if (api.json) {
      std::cout << json::serialize(all) << "\n";
    } else if (all.empty()) {
      std::cout << "No alert policies. Create one with: gatehouse alert policy create NAME --email ADDRESS\n";
    } else {
      std::printf("%-36s  %-24s  %-7s  %s\n", "ID", "NAME", "ENABLED", "RECIPIENTS");
      for (const auto& v : all) {
        const auto& p = v.as_object();
        auto to = ids_of(p, "email");
        for (const auto& w : ids_of(p, "webhooks")) to.push_back("webhook:" + w);
        std::printf("%-36s  %-24s  %-7s  %s\n", str(p, "id").c_str(), clip(str(p, "name"), 24).c_str(),
                    str(p, "enabled") == "true" ? "yes" : "no", joined(to, "none").c_str());
      }
    }
    return 0;
  }
  const std::string path = base + "/" + url_encode(resolve(a.client, base, o.ref, "alert policy"));
  if (verb == "show" || verb == "edit") {
    if (verb == "edit") {
      const auto current = a.client.call("GET", path);
      json::object body = policy_body(a, o, false, &current.as_object());
      if (body.empty()) throw std::runtime_error("nothing to change: give at least one option");
      a.client.call("PUT", path, json::value(body));
    }
    auto p = a.client.call("GET", path);
    if (api.json) std::cout << json::serialize(p) << "\n";
    else {
      std::cout << (verb == "edit" ? "Updated alert policy:" : "Alert policy:") << "\n\n";
      print_policy(p.as_object());
    }
    return 0;
  }
  if (verb == "delete") {
    a.client.call("DELETE", path);
    if (api.json) std::cout << "{}\n";
    else std::cout << "Deleted alert policy " << o.ref << ".\n";
    return 0;
  }
  if (verb == "test") return await_test(a, a.client.call("POST", path + "/test"), api, o);
  throw std::runtime_error("unknown command: alert policy " + verb);
}

int webhook_verb(AccountApi& a, const std::string& verb, const ApiOptions& api, const AlertOptions& o) {
  const std::string base = a.base + "/alerting/v3/destinations/webhooks";
  auto body = [&](bool creating) {
    json::object b;
    if (o.name) b["name"] = *o.name;
    else if (creating) b["name"] = o.ref;
    if (o.url) b["url"] = *o.url;
    else if (creating) throw std::runtime_error("give --url URL (http:// or https://)");
    if (auto s = read_secret(o)) b["secret"] = *s;
    return b;
  };
  auto show = [&](const std::string& path, const char* headline) {
    auto w = a.client.call("GET", path);
    if (api.json) std::cout << json::serialize(w) << "\n";
    else {
      std::cout << headline << "\n\n";
      print_webhook(w.as_object());
    }
    return 0;
  };
  if (verb == "create") {
    auto r = a.client.call("POST", base, json::value(body(true)));
    return show(base + "/" + url_encode(str(r.as_object(), "id")), "Created webhook destination:");
  }
  if (verb == "list") {
    auto all = get_all(a.client, base);
    if (api.json) {
      std::cout << json::serialize(all) << "\n";
    } else if (all.empty()) {
      std::cout << "No webhook destinations. Create one with: gatehouse alert webhook create NAME --url URL\n";
    } else {
      std::printf("%-36s  %-24s  %-6s  %s\n", "ID", "NAME", "SECRET", "URL");
      for (const auto& v : all) {
        const auto& w = v.as_object();
        std::printf("%-36s  %-24s  %-6s  %s\n", str(w, "id").c_str(), clip(str(w, "name"), 24).c_str(),
                    str(w, "secret_set") == "true" ? "set" : "none", str(w, "url").c_str());
      }
    }
    return 0;
  }
  const std::string path = base + "/" + url_encode(resolve(a.client, base, o.ref, "webhook destination"));
  if (verb == "show") return show(path, "Webhook destination:");
  if (verb == "edit") {
    json::object b = body(false);
    if (b.empty()) throw std::runtime_error("nothing to change: give --name, --url, --secret or --secret-file");
    a.client.call("PUT", path, json::value(b));
    return show(path, "Updated webhook destination:");
  }
  if (verb == "delete") {
    a.client.call("DELETE", path);
    if (api.json) std::cout << "{}\n";
    else std::cout << "Deleted webhook destination " << o.ref << ".\n";
    return 0;
  }
  if (verb == "test") return await_test(a, a.client.call("POST", path + "/test"), api, o);
  throw std::runtime_error("unknown command: alert webhook " + verb);
}

int history(AccountApi& a, const ApiOptions& api, const AlertOptions& o) {
  if (o.limit < 1 || o.limit > 1000) throw std::runtime_error("--limit must be 1..1000");
  std::string query = "?per_page=" + std::to_string(o.limit);
  for (const auto& [flag, value] : {std::pair{"since", o.since}, std::pair{"before", o.before}}) {
    if (!value) continue;
    if (auto t = parse_rfc3339(*value, std::string("--") + flag); !t) throw std::runtime_error(t.error().message);
    query += std::string("&") + flag + "=" + url_encode(*value);
  }
  auto items = a.client.call("GET", a.base + "/alerting/v3/history" + query);
  if (api.json) std::cout << json::serialize(items) << "\n";
  else print_history(items.as_array());
  return 0;
}

int available(AccountApi& a, const ApiOptions& api) {
  auto r = a.client.call("GET", a.base + "/alerting/v3/available_alerts");
  if (api.json) {
    std::cout << json::serialize(r) << "\n";
    return 0;
  }
  for (const auto& [group, list] : r.as_object()) {
    std::cout << group << ":\n";
    for (const auto& v : list.as_array())
      std::cout << "  " << str(v.as_object(), "type") << "  " << str(v.as_object(), "display_name") << "\n    "
                << str(v.as_object(), "description") << "\n";
  }
  return 0;
}

}  // namespace

int alert_command(const std::string& what, const std::string& verb, const ApiOptions& api, const AlertOptions& o) {
  return guarded([&]() -> int {
    AccountApi a = connect_account(api);
    if (what == "policy") return policy_verb(a, verb, api, o);
    if (what == "webhook") return webhook_verb(a, verb, api, o);
    if (what == "history") return history(a, api, o);
    return available(a, api);
  });
}

}  // namespace gatehouse::cli
