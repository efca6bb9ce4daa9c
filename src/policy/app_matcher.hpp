#pragma once
// Finds the application for a request: exact host first, then the most specific
// wildcard ("*.example.com" matches "a.example.com" and "a.b.example.com", not
// "example.com"), then the longest path prefix on segment boundaries. Built once
// per snapshot; lookups allocate nothing.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gatehouse {

class AppMatcher {
 public:
  // `pattern` is an app domain or destination: host (optionally "*.") + optional
  // path prefix, e.g. "app.example.com/api". `app` is an opaque index for the caller.
  void add(std::string_view pattern, std::size_t app, bool case_sensitive = false);
  // Host as in the Host header (port and trailing dot ignored, case-insensitive);
  // path is the canonical request path without the query. Returns the app index or npos.
  std::size_t match(std::string_view host, std::string_view path) const;

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // Lowercase host without port or trailing dot; "" if it is not a valid host.
  static std::string normalize_host(std::string_view host);

 private:
  struct Route {
    std::string path_prefix;  // "" or "/x/y" (canonical) without trailing slash
    std::size_t app;
    bool case_sensitive;
  };
  static std::size_t best(const std::vector<Route>& routes, std::string_view path);
  std::unordered_map<std::string, std::vector<Route>> exact_;
  std::unordered_map<std::string, std::vector<Route>> wildcard_;  // key: "example.com" for "*.example.com"
};

}  // namespace gatehouse
