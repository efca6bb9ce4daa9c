#pragma once
// Plain request/response values passed between the Beast server and the handlers,
// so that handler code does not include Beast (cheaper builds, simpler tests).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::http {

struct Header {
  std::string name;
  std::string value;
};

bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // origin-form: path + optional query
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;
  bool secure = false;  // arrived over TLS (the admin listener is plain HTTP today)

  // First value of a header (case-insensitive name), empty if absent.
  std::string_view header(std::string_view name) const;
  std::size_t header_count(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  Response& set(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
    return *this;
  }
};

}  // namespace gatehouse::http
