#pragma once
// Reading hostile input: the JSON body (type, size, shape) and the query string.
// Every failure is a 4xx Error naming the field and what is wrong.
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>

namespace gatehouse::admin {

// An absent or empty body is {}. A non-empty body must be declared application/json
// (else 415) and be one JSON object (else 400).
Result<boost::json::object> json_body(const http::Request& req);

// How a JSON value is named in an error: "a string", "an array", "null", …
std::string json_type_name(const boost::json::value& v);

// The 400 invalid_field_type error: "<key> must be <expected>, got <json_type_name(v)>".
Error wrong_type(std::string_view key, std::string_view expected, const boost::json::value& v);

// Optional fields: absent or null = not given; any other wrong type is a 400.
Result<std::optional<std::string>> string_field(const boost::json::object& o, std::string_view key);
Result<std::optional<bool>> bool_field(const boost::json::object& o, std::string_view key);
Result<std::optional<Duration>> duration_field(const boost::json::object& o, std::string_view key);
Result<std::optional<Time>> time_field(const boost::json::object& o, std::string_view key);

struct Target {
  std::vector<std::string> segments;          // decoded path segments
  std::map<std::string, std::string> query;   // decoded; the last value wins
};
Result<Target> parse_target(std::string_view target);

// ?page=&per_page= (defaults 1 and 20, per_page at most 1000).
Result<PageRequest> page_request(const Target& t);

}  // namespace gatehouse::admin
