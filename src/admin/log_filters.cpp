#include "admin/log_filters.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <set>

namespace gatehouse::admin {

namespace {

// Reads parameters, remembering which ones it knows and every problem found.
class QueryReader {
 public:
  explicit QueryReader(const Target& t) : t_(t) {}

  // The value of the first of `names` present (aliases), if any.
  std::optional<std::string> text(std::initializer_list<const char*> names) {
    std::optional<std::string> out;
    for (const char* n : names) {
      known_.insert(n);
      if (auto it = t_.query.find(n); it != t_.query.end() && !out) out = it->second;
    }
    return out;
  }
  std::optional<Time> time(std::initializer_list<const char*> names) {
    auto v = text(names);
    if (!v) return std::nullopt;
    auto t = parse_rfc3339(*v, *names.begin());
    if (!t) {
      problem(std::string(*names.begin()) + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z, got \"" +
              v->substr(0, 40) + "\"");
      return std::nullopt;
    }
    return *t;
  }
  std::optional<bool> boolean(const char* name) {
    auto v = text({name});
    if (!v) return std::nullopt;
    if (*v == "true") return true;
    if (*v == "false") return false;
    problem(std::string(name) + " must be true or false, got \"" + v->substr(0, 40) + "\"");
    return std::nullopt;
  }
  bool ascending() {
    auto v = text({"direction"});
    if (!v || *v == "desc") return false;
    if (*v == "asc") return true;
    problem("direction must be asc or desc, got \"" + v->substr(0, 40) + "\"");
    return false;
  }
  std::optional<int> whole(const char* name, int max) {
    auto v = text({name});
    if (!v) return std::nullopt;
    int n = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || ptr != v->data() + v->size() || n < 1 || n > max) {
      problem(std::string(name) + " must be a whole number from 1 to " + std::to_string(max) + ", got \"" +
                  v->substr(0, 32) + "\"",
              /*paging=*/true);
      return std::nullopt;
    }
    return n;
  }
  // page, per_page, and `limit` (an upper bound on the page size) when allowed.
  PageRequest page(bool with_limit) {
    PageRequest p;
    if (auto v = whole("page", 1'000'000'000)) p.page = *v;
    if (auto v = whole("per_page", 1000)) p.per_page = *v;
    if (with_limit) {
      const bool per_page_given = t_.query.count("per_page") > 0;
      if (auto v = whole("limit", 1000)) p.per_page = per_page_given ? std::min(p.per_page, *v) : *v;
    }
    return p;
  }
  void range(const std::optional<Time>& since, const std::optional<Time>& until) {
    if (since && until && *since > *until) problem("since must not be after until");
  }

  void problem(std::string p, bool paging = false) {
    problems_.push_back(std::move(p));
    only_paging_ = only_paging_ && paging;
  }

  // Every problem in one 400, unknown parameters included; the slug of the other list
  // endpoints when only the paging is wrong.
  Result<void> verdict() {
    for (const auto& param : t_.query)
      if (!known_.count(param.first)) {
        std::string names;
        for (const auto& k : known_) names += (names.empty() ? "" : ", ") + k;
        problem("unknown filter \"" + param.first.substr(0, 40) + "\" (known: " + names + ")");
      }
    if (problems_.empty()) return {};
    std::string msg;
    for (const auto& p : problems_) msg += (msg.empty() ? "" : "; ") + p;
    return bad_request(only_paging_ ? "invalid_pagination" : "invalid_filter", msg);
  }

 private:
  const Target& t_;
  bool only_paging_ = true;
  std::set<std::string, std::less<>> known_;
  std::vector<std::string> problems_;
};

}  // namespace

Result<AccessRequestQuery> access_request_query(const Target& t, const std::string& account_id) {
  QueryReader r(t);
  AccessRequestQuery q;
  q.account_id = account_id;
  q.since = r.time({"since"});
  q.until = r.time({"until"});
  r.range(q.since, q.until);
  q.ascending = r.ascending();
  q.page = r.page(/*with_limit=*/true);
  q.token_name = r.text({"service_token_name", "name"});
  q.token_id = r.text({"service_token_id", "token_id"});
  q.client_id = r.text({"client_id"});
  // Every app parameter given narrows to "any of these": the dashboard sends both the
  // id and the aud of the app it shows.
  for (const char* name : {"app", "app_id", "app_uid", "app_domain"})
    if (auto v = r.text({name})) q.apps.push_back(std::move(*v));
  q.allowed = r.boolean("allowed");
  q.reason = r.text({"reason"});
  q.ray_id = r.text({"ray_id"});
  q.ip_address = r.text({"ip_address"});
  // A domain matches the stored host (lower case, no port); ids are lower case anyway.
  for (auto& a : q.apps)
    for (auto& c : a)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (auto v = r.verdict(); !v) return v.error();
  return q;
}

Result<AuditQuery> audit_query(const Target& t, const std::string& account_id) {
  QueryReader r(t);
  AuditQuery q;
  q.account_id = account_id;
  q.since = r.time({"since"});
  q.until = r.time({"until", "before"});
  r.range(q.since, q.until);
  q.ascending = r.ascending();
  q.page = r.page(/*with_limit=*/false);
  q.action = r.text({"action", "action.type"});
  q.resource_type = r.text({"resource_type", "resource.type"});
  q.resource_id = r.text({"resource_id", "resource.id"});
  q.resource_name = r.text({"resource_name", "resource.name"});
  q.actor = r.text({"actor", "actor.id", "actor.name"});
  if (auto v = r.verdict(); !v) return v.error();
  return q;
}

}  // namespace gatehouse::admin
