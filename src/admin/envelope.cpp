#include "admin/envelope.hpp"

#include <boost/json/serialize.hpp>

namespace gatehouse::admin {

namespace json = boost::json;

namespace {

http::Response respond(int status, json::object body) {
  http::Response r;
  r.status = status;
  r.set("Content-Type", "application/json");
  r.set("Cache-Control", "no-store");
  r.body = json::serialize(body);
  return r;
}

}  // namespace

http::Response ok(json::value result, int status) {
  return respond(status, json::object{{"success", true},
                                      {"errors", json::array{}},
                                      {"messages", json::array{}},
                                      {"result", std::move(result)}});
}

http::Response ok_page(json::array items, PageRequest page, std::int64_t total_count) {
  const auto count = static_cast<std::int64_t>(items.size());
  const std::int64_t total_pages = total_count == 0 ? 0 : (total_count + page.per_page - 1) / page.per_page;
  return respond(200, json::object{{"success", true},
                                   {"errors", json::array{}},
                                   {"messages", json::array{}},
                                   {"result", std::move(items)},
                                   {"result_info", json::object{{"page", page.page},
                                                                {"per_page", page.per_page},
                                                                {"count", count},
                                                                {"total_count", total_count},
                                                                {"total_pages", total_pages}}}});
}

http::Response fail(const Error& e) {
  auto r = respond(e.http_status,
                   json::object{{"success", false},
                                {"errors", json::array{json::object{{"code", e.code()}, {"message", e.text()}}}},
                                {"messages", json::array{}},
                                {"result", nullptr}});
  // The official SDK retries 409 and 5xx unless told not to; a conflict or a bad
  // request will not get better by itself.
  if (e.http_status == 409) r.set("x-should-retry", "false");
  if (e.http_status == 401) r.set("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
  return r;
}

}  // namespace gatehouse::admin
