// The admin API's reading of hostile request bodies and targets (admin/request_input.hpp,
// admin/access_input.hpp, admin/alert_input.hpp) and the value validators behind them
// (service/access_validation.hpp, validate_name).
//
// Input: the first byte picks the Content-Type (bits 0-1: application/json, the same
// with parameters and odd case, text/plain, none) or, with bit 2 set, treats the rest
// as a request target for parse_target and page_request. Otherwise the rest is the body.
//
// Properties: nothing throws (an exception escaping aborts the run) or crashes; every
// refusal is a 4xx Error with a slug and a message; a body is {} when empty, else
// needs the JSON type (415) and must be one object; the service-token create/update
// fields read as service_token_routes.cpp reads them; every app, policy,
// organization, alert-policy and webhook body gives an input or an Error; validators
// normalise idempotently (a validated value validates to itself); pagination stays
// in its documented range.
#include "admin/access_input.hpp"
#include "admin/alert_input.hpp"
#include "admin/request_input.hpp"
#include "fuzz_check.hpp"
#include "service/access_validation.hpp"
#include "service/services.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace gatehouse;
using namespace gatehouse::admin;
namespace json = boost::json;

namespace {

void check_error(const Error& e) {
  FUZZ_CHECK(e.http_status >= 400 && e.http_status < 500, "hostile input is answered with a 4xx");
  FUZZ_CHECK(!e.slug.empty(), "an error has a slug");
  FUZZ_CHECK(!e.message.empty(), "an error names the problem");
}

template <class T>
void check(const Result<T>& r) {
  if (!r) check_error(r.error());
}

// A validator that accepts `text` returns a value it accepts again unchanged.
template <class Validate>
void idempotent(Validate validate, std::string_view text) {
  const auto first = validate(text);
  check(first);
  if (!first) return;
  const auto second = validate(*first);
  FUZZ_CHECK(second.has_value() && *second == *first, "a validated value validates to itself");
}

void validate_strings(std::string_view s) {
  idempotent([](std::string_view t) { return validate_app_domain(t, "domain"); }, s);
  idempotent([](std::string_view t) { return validate_dns_name(t, "auth_domain"); }, s);
  idempotent([](std::string_view t) { return validate_header_name(t, "header"); }, s);
  idempotent([](std::string_view t) { return validate_cidr(t, "ip"); }, s);
  idempotent([](std::string_view t) { return validate_email(t, "email"); }, s);
  idempotent([](std::string_view t) { return validate_text(t, "custom_deny_message", 1024); }, s);
  idempotent([](std::string_view t) { return validate_origin(t, "origin"); }, s);
  idempotent([](std::string_view t) { return validate_name(t); }, s);
}

// Strings anywhere in the body (bounded: the validators are the point, not the walk).
// Views into the body: the object overload avoids a json::value copy of it.
void collect_strings(const json::value& v, std::vector<std::string_view>& out, int depth);
void collect_strings(const json::object& o, std::vector<std::string_view>& out, int depth) {
  for (const auto& kv : o) {
    if (out.size() >= 16) return;
    out.emplace_back(kv.key());
    collect_strings(kv.value(), out, depth + 1);
  }
}
void collect_strings(const json::value& v, std::vector<std::string_view>& out, int depth) {
  if (out.size() >= 16 || depth > 8) return;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) collect_strings(item, out, depth + 1);
  } else if (v.is_object()) {
    collect_strings(v.get_object(), out, depth);
  }
}

// As service_token_routes.cpp's create and update read the body.
void service_token_fields(const json::object& body) {
  const auto name = string_field(body, "name");
  check(name);
  if (name && *name) {
    FUZZ_CHECK(body.at("name").get_string() == **name, "a string field is the member's value");
    check(validate_name(**name));
  }
  const auto duration = duration_field(body, "duration");
  check(duration);
  if (duration && *duration) {
    FUZZ_CHECK((*duration)->text == body.at("duration").get_string(), "a duration keeps the text sent");
    FUZZ_CHECK((*duration)->forever() || (*duration)->length->count() > 0, "a duration is positive or forever");
  }
  check(bool_field(body, "enabled"));
  check(time_field(body, "previous_client_secret_expires_at"));
}

void body(std::string_view content_type, std::string_view text) {
  http::Request req;
  req.method = "POST";
  req.target = "/client/v4/accounts/a/access/service_tokens";
  if (!content_type.empty()) req.headers.push_back({"Content-Type", std::string(content_type)});
  req.body = std::string(text);
  const auto parsed = json_body(req);
  if (!parsed) {
    check_error(parsed.error());
    FUZZ_CHECK(!text.empty(), "an empty body is {}");
    return;
  }
  if (text.empty()) FUZZ_CHECK(parsed->empty(), "an empty body is {}");
  else FUZZ_CHECK(content_type.find("json") != std::string_view::npos || content_type.find("JSON") != std::string_view::npos,
                  "a body is read only when declared JSON");
  const json::object& o = *parsed;
  service_token_fields(o);
  check(policy_input(o));
  check(policy_input(o, "policies[0]."));
  check(app_input(o));
  check(organization_input(o));
  check(alert_policy_input(o));
  check(webhook_input(o));
  std::vector<std::string_view> strings;
  collect_strings(o, strings, 0);
  for (auto s : strings) validate_strings(s);
}

void target(std::string_view text) {
  const auto t = parse_target(text);
  check(t);
  if (!t) return;
  const auto page = page_request(*t);
  check(page);
  if (!page) return;
  FUZZ_CHECK(page->page >= 1 && page->page <= 1'000'000'000, "page is in range");
  FUZZ_CHECK(page->per_page >= 1 && page->per_page <= 1000, "per_page is in range");
}

constexpr std::array<std::string_view, 4> kContentTypes = {"application/json", "Application/JSON ; charset=utf-8",
                                                            "text/plain", ""};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 4) != 0) target(rest);
  else body(kContentTypes[data[0] & 3], rest);
  return 0;
}
