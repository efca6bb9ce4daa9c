#pragma once
// Errors on the request path are values. An Error carries the HTTP status it maps to,
// a stable slug that tests, logs and the dashboard key on, and a human message that
// names the problem. Exceptions are used only at start-up and config load.
#include <boost/system/result.hpp>

#include <string>
#include <utility>

namespace gatehouse {

struct Error {
  // A constructor (not an aggregate) so that Result<bool> and Result<int64_t> accept
  // plain values: an aggregate would be "constructible" from a bool or an int.
  Error() = default;
  Error(int status, std::string s, std::string m) : http_status(status), slug(std::move(s)), message(std::move(m)) {}

  int http_status = 500;
  std::string slug;     // stable, e.g. "invalid_duration"
  std::string message;  // names the field and what is wrong

  // Cloudflare-style numeric code: 10000 + HTTP status (documented in docs/api.md).
  int code() const { return 10000 + http_status; }
  // "access.api.error.<slug>: <message>", the format of compat.md §1.1.
  std::string text() const { return "access.api.error." + slug + ": " + message; }
};

inline Error bad_request(std::string slug, std::string message) {
  return Error{400, std::move(slug), std::move(message)};
}
inline Error unauthorized(std::string slug, std::string message) {
  return Error{401, std::move(slug), std::move(message)};
}
inline Error forbidden(std::string slug, std::string message) {
  return Error{403, std::move(slug), std::move(message)};
}
inline Error not_found(std::string slug, std::string message) {
  return Error{404, std::move(slug), std::move(message)};
}
inline Error conflict(std::string slug, std::string message) {
  return Error{409, std::move(slug), std::move(message)};
}
inline Error internal_error(std::string slug, std::string message) {
  return Error{500, std::move(slug), std::move(message)};
}

// Thrown only if code calls .value() on a failed Result (a programming error).
struct ErrorException : std::runtime_error {
  explicit ErrorException(const Error& e) : std::runtime_error(e.text()), error(e) {}
  Error error;
};
[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace gatehouse
