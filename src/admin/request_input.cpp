#include "admin/request_input.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include <charconv>

namespace gatehouse::admin {

namespace json = boost::json;

std::string json_type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

Error wrong_type(std::string_view key, std::string_view expected, const json::value& v) {
  return bad_request("invalid_field_type",
                     std::string(key) + " must be " + std::string(expected) + ", got " + json_type_name(v));
}

namespace {

bool is_json_media_type(std::string_view content_type) {
  const auto semi = content_type.find(';');
  std::string_view media = content_type.substr(0, semi);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return http::iequals(media, "application/json");
}

}  // namespace

Result<json::object> json_body(const http::Request& req) {
  if (req.body.empty()) return json::object{};
  const auto content_type = req.header("Content-Type");
  if (!is_json_media_type(content_type))
    return Error{415, "unsupported_media_type",
                 "the request body must be JSON sent with Content-Type: application/json" +
                     (content_type.empty() ? std::string(" (no Content-Type was sent)")
                                           : ", not \"" + std::string(content_type.substr(0, 64)) + "\"")};
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec, {}, options);
  if (ec) return bad_request("malformed_json", "the request body is not valid JSON: " + ec.message());
  if (!v.is_object())
    return bad_request("malformed_json", "the request body must be a JSON object, got " + json_type_name(v));
  return std::move(v.as_object());
}

Result<std::optional<std::string>> string_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return wrong_type(key, "a string", *v);
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<bool>> bool_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return wrong_type(key, "true or false", *v);
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<Duration>> duration_field(const json::object& o, std::string_view key) {
  auto text = string_field(o, key);
  if (!text) return text.error();
  if (!*text) return std::optional<Duration>();
  auto d = parse_duration(**text);
  if (!d) return d.error();
  return std::optional<Duration>(std::move(*d));
}

Result<std::optional<Time>> time_field(const json::object& o, std::string_view key) {
  auto text = string_field(o, key);
  if (!text) return text.error();
  if (!*text) return std::optional<Time>();
  auto t = parse_rfc3339(**text, key);
  if (!t) return t.error();
  return std::optional<Time>(*t);
}

Result<Target> parse_target(std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return bad_request("invalid_target", "the request target is not a valid URL path");
  Target t;
  for (auto seg : url->segments()) t.segments.push_back(seg);
  if (!t.segments.empty() && t.segments.back().empty()) t.segments.pop_back();  // trailing slash
  for (auto param : url->params()) t.query[param.key] = param.has_value ? param.value : std::string();
  return t;
}

Result<PageRequest> page_request(const Target& t) {
  PageRequest p;
  auto read = [&](const char* key, int& out, int max) -> Result<void> {
    auto it = t.query.find(key);
    if (it == t.query.end()) return {};
    const std::string& s = it->second;
    int v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || v < 1 || v > max)
      return bad_request("invalid_pagination", std::string(key) + " must be a whole number from 1 to " +
                                                   std::to_string(max) + ", got \"" + s.substr(0, 32) + "\"");
    out = v;
    return {};
  };
  if (auto r = read("page", p.page, 1'000'000'000); !r) return r.error();
  if (auto r = read("per_page", p.per_page, 1000); !r) return r.error();
  return p;
}

}  // namespace gatehouse::admin
