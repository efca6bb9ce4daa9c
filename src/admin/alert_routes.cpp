// /accounts/{a}/alerting/v3/… — notification policies, webhook destinations,
// available_alerts, history, and the send-test actions (compat.md §1.5).
#include "admin/alert_input.hpp"
#include "admin/envelope.hpp"
#include "admin/routes.hpp"
#include "service/alert_json.hpp"

#include <boost/json/array.hpp>

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

http::Response no_endpoint(Call& call) {
  return fail(not_found("no_such_endpoint", "no endpoint at " + call.req.target.substr(0, 128)));
}

// Cloudflare lists policies and webhooks on one page (the SDK does not ask for a
// second): without ?page/?per_page the whole list (up to 1000) comes back.
Result<PageRequest> whole_list_page(const Target& t) {
  auto page = page_request(t);
  if (!page) return page.error();
  if (!t.query.contains("per_page")) page->per_page = 1000;
  return page;
}

http::Response id_result(const std::string& id) { return ok(json::object{{"id", id}}); }

http::Response queued(const QueuedTest& q) {
  json::array messages;
  for (const auto& m : q.messages)
    messages.push_back(json::object{{"id", m.id}, {"mechanism", m.address}, {"mechanism_type", to_string(m.kind)}});
  return ok(json::object{{"status", "queued"}, {"messages", std::move(messages)}});
}

http::Response policies(Call& call, std::span<const std::string> rest) {
  const std::string& m = call.req.method;
  if (rest.empty()) {
    if (m == "GET") {
      auto page = whole_list_page(call.target);
      if (!page) return fail(page.error());
      auto found = list_alert_policies(call.services, call.account_id, *page);
      if (!found) return fail(found.error());
      json::array items;
      for (const auto& p : found->items) items.push_back(to_json(p));
      return ok_page(std::move(items), *page, found->total_count);
    }
    if (m == "POST") {
      auto body = json_body(call.req);
      if (!body) return fail(body.error());
      auto in = alert_policy_input(*body);
      if (!in) return fail(in.error());
      auto created = create_alert_policy(call.services, call.actor, call.account_id, *in);
      return created ? id_result(created->id) : fail(created.error());
    }
    return method_not_allowed("GET, POST");
  }
  const std::string& id = rest[0];
  if (rest.size() == 1) {
    if (m == "GET") {
      auto p = get_alert_policy(call.services, call.account_id, id);
      return p ? ok(to_json(*p)) : fail(p.error());
    }
    if (m == "PUT" || m == "PATCH") {
      auto body = json_body(call.req);
      if (!body) return fail(body.error());
      auto in = alert_policy_input(*body);
      if (!in) return fail(in.error());
      auto updated = update_alert_policy(call.services, call.actor, call.account_id, id, *in);
      return updated ? id_result(updated->id) : fail(updated.error());
    }
    if (m == "DELETE") {
      auto deleted = delete_alert_policy(call.services, call.actor, call.account_id, id);
      return deleted ? id_result(deleted->id) : fail(deleted.error());
    }
    return method_not_allowed("GET, PUT, DELETE");
  }
  if (rest.size() == 2 && rest[1] == "test") {
    if (m != "POST") return method_not_allowed("POST");
    if (auto body = json_body(call.req); !body) return fail(body.error());
    auto q = test_alert_policy(call.services, call.actor, call.account_id, id);
    return q ? queued(*q) : fail(q.error());
  }
  return no_endpoint(call);
}

http::Response webhooks(Call& call, std::span<const std::string> rest) {
  const std::string& m = call.req.method;
  if (rest.empty()) {
    if (m == "GET") {
      auto page = whole_list_page(call.target);
      if (!page) return fail(page.error());
      auto found = list_webhooks(call.services, call.account_id, *page);
      if (!found) return fail(found.error());
      json::array items;
      for (const auto& w : found->items) items.push_back(to_json(w));
      return ok_page(std::move(items), *page, found->total_count);
    }
    if (m == "POST") {
      auto body = json_body(call.req);
      if (!body) return fail(body.error());
      auto in = webhook_input(*body);
      if (!in) return fail(in.error());
      auto created = create_webhook(call.services, call.actor, call.account_id, *in);
      return created ? id_result(created->id) : fail(created.error());
    }
    return method_not_allowed("GET, POST");
  }
  const std::string& id = rest[0];
  if (rest.size() == 1) {
    if (m == "GET") {
      auto w = get_webhook(call.services, call.account_id, id);
      return w ? ok(to_json(*w)) : fail(w.error());
    }
    if (m == "PUT" || m == "PATCH") {
      auto body = json_body(call.req);
      if (!body) return fail(body.error());
      auto in = webhook_input(*body);
      if (!in) return fail(in.error());
      auto updated = update_webhook(call.services, call.actor, call.account_id, id, *in);
      return updated ? id_result(updated->id) : fail(updated.error());
    }
    if (m == "DELETE") {
      auto deleted = delete_webhook(call.services, call.actor, call.account_id, id);
      return deleted ? id_result(deleted->id) : fail(deleted.error());
    }
    return method_not_allowed("GET, PUT, DELETE");
  }
  if (rest.size() == 2 && rest[1] == "test") {
    if (m != "POST") return method_not_allowed("POST");
    if (auto body = json_body(call.req); !body) return fail(body.error());
    auto q = test_webhook(call.services, call.actor, call.account_id, id);
    return q ? queued(*q) : fail(q.error());
  }
  return no_endpoint(call);
}

http::Response history(Call& call) {
  if (call.req.method != "GET") return method_not_allowed("GET");
  auto page = page_request(call.target);
  if (!page) return fail(page.error());
  AlertHistoryQuery q;
  q.account_id = call.account_id;
  q.page = *page;
  for (const char* key : {"since", "before"}) {
    auto it = call.target.query.find(key);
    if (it == call.target.query.end() || it->second.empty()) continue;
    auto t = parse_rfc3339(it->second, key);
    if (!t) return fail(t.error());
    (std::string_view(key) == "since" ? q.since : q.before) = *t;
  }
  auto found = list_alert_history(call.services, q);
  if (!found) return fail(found.error());
  json::array items;
  for (const auto& msg : found->items) items.push_back(history_json(msg));
  return ok_page(std::move(items), *page, found->total_count);
}

}  // namespace

http::Response route_alerting(Call& call, std::span<const std::string> rest) {
  if (rest.empty() || rest[0] != "v3") return no_endpoint(call);
  const auto under = rest.subspan(1);
  if (under.empty()) return no_endpoint(call);
  if (under[0] == "policies") return policies(call, under.subspan(1));
  if (under[0] == "destinations" && under.size() >= 2 && under[1] == "webhooks")
    return webhooks(call, under.subspan(2));
  if (under[0] == "history" && under.size() == 1) return history(call);
  if (under[0] == "available_alerts" && under.size() == 1) {
    if (call.req.method != "GET") return method_not_allowed("GET");
    return ok(available_alerts_json());
  }
  return no_endpoint(call);
}

}  // namespace gatehouse::admin
