#include "policy/app_matcher.hpp"

#include "policy/canonical_path.hpp"

#include <algorithm>

namespace gatehouse {

std::string AppMatcher::normalize_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') {  // IPv6 literal, maybe with a port
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {};
    host = host.substr(0, close + 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::string out;
  out.reserve(host.size());
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '/' || c == '\\' || c == '@') return {};
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

void AppMatcher::add(std::string_view pattern, std::size_t app, bool case_sensitive) {
  const auto slash = pattern.find('/');
  std::string_view host = pattern.substr(0, slash);
  std::string path = slash == std::string_view::npos ? std::string() : std::string(pattern.substr(slash));
  // The API accepts only canonical prefixes; canonicalising again here keeps an older
  // stored spelling ("/%61dmin") matching what requests are canonicalised to.
  if (!path.empty())
    if (auto c = canonicalize_target(path); c.ok()) path = std::move(c.path);
  while (!path.empty() && path.back() == '/') path.pop_back();
  Route route{std::move(path), app, case_sensitive};
  if (host.size() > 2 && host.substr(0, 2) == "*.")
    wildcard_[normalize_host(host.substr(2))].push_back(std::move(route));
  else
    exact_[normalize_host(host)].push_back(std::move(route));
}

std::size_t AppMatcher::best(const std::vector<Route>& routes, std::string_view path) {
  std::size_t found = npos;
  std::size_t longest = 0;
  for (const auto& r : routes) {
    const auto& p = r.path_prefix;
    const bool applies = path_has_prefix(path, p, r.case_sensitive);
    if (applies && (found == npos || p.size() > longest)) {
      found = r.app;
      longest = p.size();
    }
  }
  return found;
}

std::size_t AppMatcher::match(std::string_view raw_host, std::string_view path) const {
  // Hosts are short; normalising into a small buffer avoids a heap allocation.
  char buf[256];
  std::size_t n = 0;
  if (raw_host.size() >= sizeof buf) return npos;
  if (!raw_host.empty() && raw_host.front() != '[') {
    if (const auto colon = raw_host.rfind(':'); colon != std::string_view::npos) raw_host = raw_host.substr(0, colon);
  } else if (!raw_host.empty()) {
    const auto close = raw_host.find(']');
    if (close == std::string_view::npos) return npos;
    raw_host = raw_host.substr(0, close + 1);
  }
  while (!raw_host.empty() && raw_host.back() == '.') raw_host.remove_suffix(1);
  for (char c : raw_host) buf[n++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  const std::string_view host(buf, n);
  if (host.empty()) return npos;

  if (!exact_.empty()) {
    // unordered_map<std::string> needs a std::string key; C++20 heterogeneous lookup
    // for unordered containers is not in GCC 12's library, so build one on the stack.
    if (auto it = exact_.find(std::string(host)); it != exact_.end())
      if (auto app = best(it->second, path); app != npos) return app;
  }
  // Wildcards: try every parent domain, most specific first.
  for (std::size_t dot = host.find('.'); dot != std::string_view::npos; dot = host.find('.', dot + 1)) {
    if (auto it = wildcard_.find(std::string(host.substr(dot + 1))); it != wildcard_.end())
      if (auto app = best(it->second, path); app != npos) return app;
  }
  return npos;
}

}  // namespace gatehouse
