// /accounts/{a}/access/service_tokens — the seven operations of compat.md §1.2.
#include "admin/envelope.hpp"
#include "admin/routes.hpp"
#include "service/json_views.hpp"

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

json::object with_secret(const CreatedServiceToken& c) {
  json::object o = to_json(c.token);
  o["client_secret"] = c.client_secret;
  return o;
}

http::Response list(Call& call) {
  auto page = page_request(call.target);
  if (!page) return fail(page.error());
  ServiceTokenQuery q;
  q.account_id = call.account_id;
  q.page = *page;
  if (auto it = call.target.query.find("name"); it != call.target.query.end()) q.name = it->second;
  if (auto it = call.target.query.find("search"); it != call.target.query.end() && !it->second.empty())
    q.search = it->second;
  auto found = call.services.store.list_service_tokens(q);
  if (!found) return fail(found.error());
  json::array items;
  for (const auto& t : found->items) items.push_back(to_json(t));
  return ok_page(std::move(items), *page, found->total_count);
}

http::Response create(Call& call) {
  auto body = json_body(call.req);
  if (!body) return fail(body.error());
  auto name = string_field(*body, "name");
  if (!name) return fail(name.error());
  if (!*name) return fail(bad_request("missing_field", "name is required (1 to 256 characters)"));
  auto duration = duration_field(*body, "duration");
  if (!duration) return fail(duration.error());
  auto enabled = bool_field(*body, "enabled");
  if (!enabled) return fail(enabled.error());
  NewServiceToken spec{std::move(**name),
                       duration->value_or(Duration{std::string(kDefaultTokenDuration),
                                                   std::chrono::hours(8760)}),
                       enabled->value_or(true)};
  auto created = create_service_token(call.services, call.actor, call.account_id, std::move(spec));
  if (!created) return fail(created.error());
  return ok(with_secret(*created), 201);
}

http::Response update(Call& call, const std::string& id) {
  auto body = json_body(call.req);
  if (!body) return fail(body.error());
  ServiceTokenChanges c;
  auto name = string_field(*body, "name");
  if (!name) return fail(name.error());
  auto duration = duration_field(*body, "duration");
  if (!duration) return fail(duration.error());
  auto enabled = bool_field(*body, "enabled");
  if (!enabled) return fail(enabled.error());
  auto grace = time_field(*body, "previous_client_secret_expires_at");
  if (!grace) return fail(grace.error());
  c.name = std::move(*name);
  c.duration = std::move(*duration);
  c.enabled = *enabled;
  c.previous_client_secret_expires_at = *grace;
  auto updated = update_service_token(call.services, call.actor, call.account_id, id, c);
  if (!updated) return fail(updated.error());
  return ok(to_json(*updated));
}

http::Response rotate(Call& call, const std::string& id) {
  auto body = json_body(call.req);
  if (!body) return fail(body.error());
  auto grace = time_field(*body, "previous_client_secret_expires_at");
  if (!grace) return fail(grace.error());
  auto rotated = rotate_service_token(call.services, call.actor, call.account_id, id, *grace);
  if (!rotated) return fail(rotated.error());
  return ok(with_secret(*rotated));
}

}  // namespace

http::Response route_service_tokens(Call& call, std::span<const std::string> rest) {
  const std::string& m = call.req.method;
  if (rest.empty()) {
    if (m == "GET") return list(call);
    if (m == "POST") return create(call);
    return method_not_allowed("GET, POST");
  }
  const std::string& id = rest[0];
  if (rest.size() == 1) {
    if (m == "GET") {
      auto t = get_service_token(call.services, call.account_id, id);
      return t ? ok(to_json(*t)) : fail(t.error());
    }
    if (m == "PUT" || m == "PATCH") return update(call, id);
    if (m == "DELETE") {
      auto t = delete_service_token(call.services, call.actor, call.account_id, id);
      return t ? ok(to_json(*t)) : fail(t.error());
    }
    return method_not_allowed("GET, PUT, DELETE");
  }
  if (rest.size() == 2 && (rest[1] == "refresh" || rest[1] == "rotate")) {
    if (m != "POST") return method_not_allowed("POST");
    if (rest[1] == "rotate") return rotate(call, id);
    // Refresh takes no body, but a client that sends {} or garbage must still get
    // the usual content checks rather than silent acceptance.
    if (auto body = json_body(call.req); !body) return fail(body.error());
    auto t = refresh_service_token(call.services, call.actor, call.account_id, id);
    return t ? ok(to_json(*t)) : fail(t.error());
  }
  return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
}

}  // namespace gatehouse::admin
