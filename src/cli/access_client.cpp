#include "cli/access_client.hpp"

#include "core/ids.hpp"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

constexpr int kPageSize = 1000;

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string one_of(const std::vector<std::string>& ids, const std::string& what, const std::string& ref,
                   const std::string& hint) {
  if (ids.empty()) throw std::runtime_error("no " + what + " with id or name \"" + ref + "\"");
  if (ids.size() > 1)
    throw std::runtime_error(std::to_string(ids.size()) + " " + what + "s are named \"" + ref + "\"; use the id (" +
                             hint + ")");
  return ids.front();
}

std::string resolve_token(AccountApi& a, const std::string& ref) {
  if (is_uuid(ref)) return ref;
  const std::string path = a.base + "/access/service_tokens?" +
                           (is_client_id(ref) ? "search=" : "name=") + url_encode(ref);
  std::vector<std::string> ids;
  for (const auto& v : get_all(a.client, path)) {
    const auto& t = v.as_object();
    if (str(t, "name") == ref || str(t, "client_id") == ref) ids.push_back(str(t, "id"));
  }
  return one_of(ids, "service token", ref, "gatehouse token list --name '" + ref + "'");
}

}  // namespace

json::array get_all(ApiClient& client, const std::string& path) {
  json::array all;
  const char sep = path.find('?') == std::string::npos ? '?' : '&';
  for (int page = 1;; ++page) {
    auto r = client.call("GET", path + sep + "page=" + std::to_string(page) + "&per_page=" + std::to_string(kPageSize));
    if (!r.is_array() || r.as_array().empty()) break;
    for (auto& v : r.as_array()) all.push_back(v);
    if (r.as_array().size() < static_cast<std::size_t>(kPageSize)) break;
  }
  return all;
}

std::string resolve_app(AccountApi& a, const std::string& ref) {
  if (ref.empty()) throw std::runtime_error("name the application: its id, name or domain");
  if (is_uuid(ref)) return ref;
  std::vector<std::string> ids;
  for (const auto& v : get_all(a.client, a.base + "/access/apps?name=" + url_encode(ref)))
    ids.push_back(str(v.as_object(), "id"));
  if (ids.empty())
    for (const auto& v : get_all(a.client, a.base + "/access/apps?domain=" + url_encode(lower(ref))))
      ids.push_back(str(v.as_object(), "id"));
  return one_of(ids, "application", ref, "gatehouse app list");
}

std::string resolve_policy(AccountApi& a, const std::string& ref, const std::string& app_id) {
  if (ref.empty()) throw std::runtime_error("name the policy: its id or name");
  if (is_uuid(ref)) return ref;
  const std::string path =
      app_id.empty() ? a.base + "/access/policies" : a.base + "/access/apps/" + url_encode(app_id) + "/policies";
  std::vector<std::string> ids;
  for (const auto& v : get_all(a.client, path))
    if (str(v.as_object(), "name") == ref) ids.push_back(str(v.as_object(), "id"));
  return one_of(ids, "policy", ref, app_id.empty() ? "gatehouse policy list" : "gatehouse policy list --app APP");
}

json::value rule_json(AccountApi& a, const std::string& spec, const std::string& flag) {
  const auto eq = spec.find('=');
  const std::string type = spec.substr(0, eq);
  const bool has_value = eq != std::string::npos;
  const std::string value = has_value ? spec.substr(eq + 1) : std::string();
  auto need_value = [&](const char* example) {
    if (!has_value || value.empty())
      throw std::runtime_error(flag + " " + type + " needs a value, e.g. " + flag + " " + example);
  };
  if (type == "everyone" || type == "any_valid_service_token") {
    if (has_value) throw std::runtime_error(flag + " " + type + " takes no value");
    return json::object{{type, json::object{}}};
  }
  if (type == "service_token") {
    need_value("service_token=ci-deploy");
    return json::object{{"service_token", json::object{{"token_id", resolve_token(a, value)}}}};
  }
  if (type == "ip") {
    need_value("ip=10.0.0.0/8");
    return json::object{{"ip", json::object{{"ip", value}}}};
  }
  if (type == "email") {
    need_value("email=ops@example.com");
    return json::object{{"email", json::object{{"email", value}}}};
  }
  if (type == "email_domain") {
    need_value("email_domain=example.com");
    return json::object{{"email_domain", json::object{{"domain", value}}}};
  }
  if (type == "common_name") {
    need_value("common_name=client.example.com");
    return json::object{{"common_name", json::object{{"common_name", value}}}};
  }
  throw std::runtime_error(flag + ": rule type \"" + type +
                           "\" is not supported; use service_token=ID|NAME, any_valid_service_token, everyone, "
                           "ip=CIDR, email=ADDRESS, email_domain=DOMAIN or common_name=CN");
}

std::string rule_text(const json::value& rule) {
  if (!rule.is_object() || rule.as_object().empty()) return json::serialize(rule);
  const auto& [key, inner] = *rule.as_object().begin();
  std::string value;
  if (inner.is_object())
    for (const auto& kv : inner.as_object())
      if (kv.value().is_string()) value = std::string(kv.value().as_string());
  return value.empty() ? std::string(key) : std::string(key) + "=" + value;
}

std::string rules_text(const json::object& policy, std::string_view list) {
  const auto* rules = policy.if_contains(list);
  if (!rules || !rules->is_array() || rules->as_array().empty()) return "-";
  std::string out;
  for (const auto& r : rules->as_array()) out += (out.empty() ? "" : ", ") + rule_text(r);
  return out;
}

std::string decision_value(const std::string& cli) {
  if (cli == "allow" || cli == "bypass") return cli;
  if (cli == "deny" || cli == "block") return "deny";
  if (cli == "service_auth" || cli == "non_identity") return "non_identity";
  throw std::runtime_error("--decision must be allow, deny, service_auth or bypass, got \"" + cli + "\"");
}

std::string decision_label(const std::string& api) {
  if (api == "non_identity") return "service_auth";
  if (api == "deny") return "deny (block)";
  return api;
}

}  // namespace gatehouse::cli
