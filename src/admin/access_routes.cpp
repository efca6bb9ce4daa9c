// /accounts/{a}/access/apps, …/apps/{id}/policies, …/access/policies and
// …/access/organizations (compat.md §1.3, §1.4).
#include "admin/access_input.hpp"
#include "admin/envelope.hpp"
#include "admin/routes.hpp"
#include "service/access_json.hpp"

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

http::Response no_endpoint(const Call& call) {
  return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
}

std::optional<std::string> query(const Call& call, const char* key) {
  auto it = call.target.query.find(key);
  if (it == call.target.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

template <class T>
http::Response reply(const Result<T>& r, int status = 200) {
  return r ? ok(to_json(*r), status) : fail(r.error());
}

// ---- policies (reusable: app_id ""; else that app's)

http::Response policy_list(Call& call, const std::string& app_id) {
  auto page = page_request(call.target);
  if (!page) return fail(page.error());
  auto found = list_policies(call.services, call.account_id, app_id, *page);
  if (!found) return fail(found.error());
  json::array items;
  for (const auto& p : found->items) {
    // Inside an app every policy shows the link's precedence.
    if (app_id.empty()) items.push_back(to_json(p));
    else items.push_back(to_json(p.policy, p.policy.precedence, p.policy.app_id.empty() ? &p.apps : nullptr));
  }
  return ok_page(std::move(items), *page, found->total_count);
}

json::object policy_json(const PolicyWithApps& p, const std::string& app_id) {
  if (app_id.empty()) return to_json(p);
  return to_json(p.policy, p.policy.precedence, p.policy.app_id.empty() ? &p.apps : nullptr);
}

http::Response write_policy(Call& call, const std::string& app_id, const std::string* id) {
  auto body = json_body(call.req);
  if (!body) return fail(body.error());
  auto in = policy_input(*body);
  if (!in) return fail(in.error());
  auto r = id ? update_policy(call.services, call.actor, call.account_id, app_id, *id, *in)
              : create_policy(call.services, call.actor, call.account_id, app_id, *in);
  if (!r) return fail(r.error());
  return ok(policy_json(*r, app_id), id ? 200 : 201);
}

http::Response policies(Call& call, std::span<const std::string> rest, const std::string& app_id) {
  const std::string& m = call.req.method;
  if (rest.empty()) {
    if (m == "GET") return policy_list(call, app_id);
    if (m == "POST") return write_policy(call, app_id, nullptr);
    return method_not_allowed("GET, POST");
  }
  if (rest.size() != 1) return no_endpoint(call);
  const std::string& id = rest[0];
  if (m == "GET") {
    auto p = get_policy(call.services, call.account_id, app_id, id);
    return p ? ok(policy_json(*p, app_id)) : fail(p.error());
  }
  if (m == "PUT" || m == "PATCH") return write_policy(call, app_id, &id);
  if (m == "DELETE") {
    auto p = delete_policy(call.services, call.actor, call.account_id, app_id, id);
    return p ? ok(policy_json(*p, app_id)) : fail(p.error());
  }
  return method_not_allowed("GET, PUT, DELETE");
}

// ---- apps

http::Response app_list(Call& call) {
  auto page = page_request(call.target);
  if (!page) return fail(page.error());
  AppQuery q;
  q.account_id = call.account_id;
  q.page = *page;
  q.name = query(call, "name");
  q.domain = query(call, "domain");
  q.aud = query(call, "aud");
  q.search = query(call, "search");
  auto found = list_apps(call.services, q);
  if (!found) return fail(found.error());
  json::array items;
  for (const auto& a : found->items) items.push_back(to_json(a));
  return ok_page(std::move(items), *page, found->total_count);
}

http::Response write_app(Call& call, const std::string* id) {
  auto body = json_body(call.req);
  if (!body) return fail(body.error());
  auto in = app_input(*body);
  if (!in) return fail(in.error());
  if (id) return reply(update_app(call.services, call.actor, call.account_id, *id, *in));
  return reply(create_app(call.services, call.actor, call.account_id, *in), 201);
}

}  // namespace

http::Response route_apps(Call& call, std::span<const std::string> rest) {
  const std::string& m = call.req.method;
  if (rest.empty()) {
    if (m == "GET") return app_list(call);
    if (m == "POST") return write_app(call, nullptr);
    return method_not_allowed("GET, POST");
  }
  const std::string& id = rest[0];
  if (rest.size() == 1) {
    if (m == "GET") return reply(get_app(call.services, call.account_id, id));
    if (m == "PUT" || m == "PATCH") return write_app(call, &id);
    if (m == "DELETE") return reply(delete_app(call.services, call.actor, call.account_id, id));
    return method_not_allowed("GET, PUT, DELETE");
  }
  if (rest.size() == 2 && rest[1] == "revoke_tokens") {
    if (m != "POST") return method_not_allowed("POST");
    // No body is needed; one that is sent still gets the usual content checks.
    if (auto body = json_body(call.req); !body) return fail(body.error());
    return reply(revoke_app_tokens(call.services, call.actor, call.account_id, id));
  }
  if (rest[1] == "policies") return policies(call, rest.subspan(2), id);
  return no_endpoint(call);
}

http::Response route_policies(Call& call, std::span<const std::string> rest) { return policies(call, rest, ""); }

http::Response route_organizations(Call& call, std::span<const std::string> rest) {
  if (!rest.empty()) return no_endpoint(call);
  const std::string& m = call.req.method;
  if (m == "GET") return reply(get_organization(call.services, call.account_id));
  if (m == "PUT" || m == "PATCH") {
    auto body = json_body(call.req);
    if (!body) return fail(body.error());
    auto in = organization_input(*body);
    if (!in) return fail(in.error());
    return reply(update_organization(call.services, call.actor, call.account_id, *in));
  }
  return method_not_allowed("GET, PUT, PATCH");
}

}  // namespace gatehouse::admin
