#include "edge/placeholder.hpp"

namespace gatehouse::edge {

namespace {
http::Response json_error(int status, std::string_view slug, std::string_view message) {
  http::Response r;
  r.status = status;
  r.set("Content-Type", "application/json");
  r.body = "{\"error\":\"" + std::string(slug) + "\",\"message\":\"" + std::string(message) + "\"}";
  return r;
}
}  // namespace

http::Response placeholder_handle(const http::Request&) {
  return json_error(404, "no_application", "no Access application matches this host and path");
}

http::Response placeholder_error(int status, std::string_view) {
  return json_error(status, "bad_request", "the request could not be read");
}

}  // namespace gatehouse::edge
