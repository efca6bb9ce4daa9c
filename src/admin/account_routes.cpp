// /accounts/{a}, /accounts/{a}/tokens (API tokens), /accounts/{a}/audit_logs (with the
// filters of admin/log_filters.hpp).
#include "admin/envelope.hpp"
#include "admin/log_filters.hpp"
#include "admin/routes.hpp"
#include "service/json_views.hpp"

namespace gatehouse::admin {

namespace json = boost::json;

http::Response route_account(Call& call) {
  if (call.req.method != "GET") return method_not_allowed("GET");
  auto account = call.services.store.find_account(call.account_id);
  if (!account) return fail(account.error());
  if (!*account) return fail(not_found("account_not_found", "no account with id \"" + call.account_id + "\""));
  return ok(to_json(**account));
}

http::Response route_api_tokens(Call& call, std::span<const std::string> rest) {
  const std::string& m = call.req.method;
  const Time now = call.services.clock.now();
  if (rest.empty()) {
    if (m == "GET") {
      auto page = page_request(call.target);
      if (!page) return fail(page.error());
      auto tokens = call.services.store.list_api_tokens(call.account_id);
      if (!tokens) return fail(tokens.error());
      json::array items;
      const auto first = static_cast<std::size_t>(page->page - 1) * static_cast<std::size_t>(page->per_page);
      for (std::size_t i = first; i < tokens->size() && items.size() < static_cast<std::size_t>(page->per_page); ++i)
        items.push_back(to_json((*tokens)[i], now));
      return ok_page(std::move(items), *page, static_cast<std::int64_t>(tokens->size()));
    }
    if (m == "POST") {
      auto body = json_body(call.req);
      if (!body) return fail(body.error());
      auto name = string_field(*body, "name");
      if (!name) return fail(name.error());
      if (!*name) return fail(bad_request("missing_field", "name is required"));
      auto scope_text = string_field(*body, "scope");
      if (!scope_text) return fail(scope_text.error());
      auto scope = parse_scope(scope_text->value_or("read"));
      if (!scope) return fail(bad_request("invalid_scope", "scope must be \"read\" or \"edit\""));
      auto expires = time_field(*body, "expires_on");
      if (!expires) return fail(expires.error());
      auto created = create_api_token(call.services, call.actor, call.account_id, **name, *scope, *expires);
      if (!created) return fail(created.error());
      json::object o = to_json(created->record, now);
      o["value"] = created->token;
      return ok(std::move(o), 201);
    }
    return method_not_allowed("GET, POST");
  }
  if (rest.size() == 1) {
    if (m == "GET") {
      auto t = call.services.store.find_api_token(call.account_id, rest[0]);
      if (!t) return fail(t.error());
      if (!*t) return fail(not_found("api_token_not_found", "no API token with id \"" + rest[0].substr(0, 64) + "\""));
      return ok(to_json(**t, now));
    }
    if (m == "DELETE") {
      auto t = revoke_api_token(call.services, call.actor, call.account_id, rest[0]);
      return t ? ok(to_json(*t, now)) : fail(t.error());
    }
    return method_not_allowed("GET, DELETE");
  }
  return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
}

http::Response route_audit_logs(Call& call, std::span<const std::string> rest) {
  if (!rest.empty()) return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
  if (call.req.method != "GET") return method_not_allowed("GET");
  auto query = audit_query(call.target, call.account_id);
  if (!query) return fail(query.error());
  auto events = call.services.store.query_audit_events(*query);
  if (!events) return fail(events.error());
  json::array items;
  for (const auto& e : events->items) items.push_back(to_json(e));
  return ok_page(std::move(items), query->page, events->total_count);
}

}  // namespace gatehouse::admin
