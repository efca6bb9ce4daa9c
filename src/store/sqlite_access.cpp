#include "store/sqlite_access.hpp"

#include <array>

namespace gatehouse::sqlite {

const char* const kAppColumns =
    "id, account_id, name, type, domain, session_duration, session_duration_ns, read_service_tokens_from_header, "
    "service_auth_401_redirect, http_only_cookie_attribute, same_site_cookie_attribute, path_cookie_attribute, "
    "custom_deny_message, cors_headers_json, options_preflight_bypass, origin, origin_connect_ms, "
    "origin_response_header_ms, origin_idle_ms, aud, tokens_revoked_before, created_at, updated_at, path_case_sensitive";

const char* const kPolicyColumns =
    "id, account_id, app_id, name, decision, precedence, session_duration, session_duration_ns, created_at, "
    "updated_at";

namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

std::optional<std::int64_t> length_ns(const Duration& d) {
  if (!d.length) return std::nullopt;
  return static_cast<std::int64_t>(d.length->count());
}

Duration read_duration(const Statement& s, int text_col, int ns_col) {
  Duration d;
  d.text = s.text(text_col);
  if (!s.is_null(ns_col)) d.length = nanoseconds(s.int64(ns_col));
  return d;
}

const char* same_site_text(SameSite v) {
  switch (v) {
    case SameSite::none: return "none";
    case SameSite::lax: return "lax";
    case SameSite::strict: return "strict";
  }
  return "none";
}

std::optional<SameSite> read_same_site(const Statement& s, int col) {
  if (s.is_null(col)) return std::nullopt;
  const std::string v = s.text(col);
  if (v == "lax") return SameSite::lax;
  if (v == "strict") return SameSite::strict;
  return SameSite::none;
}

constexpr std::array kRuleKinds{Rule::Kind::service_token, Rule::Kind::any_valid_service_token, Rule::Kind::everyone,
                                Rule::Kind::ip,            Rule::Kind::email,                   Rule::Kind::email_domain,
                                Rule::Kind::common_name};

std::optional<Rule::Kind> rule_kind(std::string_view text) {
  for (auto k : kRuleKinds)
    if (to_string(k) == text) return k;
  return std::nullopt;
}

App read_app_row(const Statement& s) {
  App a;
  a.id = s.text(0);
  a.account_id = s.text(1);
  a.name = s.text(2);
  a.type = s.text(3);
  a.domain = s.text(4);
  a.session_duration = read_duration(s, 5, 6);
  a.read_service_tokens_from_header = s.text(7);
  a.service_auth_401_redirect = s.int64(8) != 0;
  a.http_only_cookie_attribute = s.int64(9) != 0;
  a.same_site_cookie_attribute = read_same_site(s, 10);
  a.path_cookie_attribute = s.int64(11) != 0;
  a.custom_deny_message = s.text(12);
  a.cors_headers_json = s.text(13);
  a.options_preflight_bypass = s.int64(14) != 0;
  a.origin = s.text(15);
  a.origin_timeout.connect = milliseconds(s.int64(16));
  a.origin_timeout.response_header = milliseconds(s.int64(17));
  a.origin_timeout.idle = milliseconds(s.int64(18));
  a.aud = s.text(19);
  a.tokens_revoked_before = s.opt_time(20);
  a.created_at = s.time(21);
  a.updated_at = s.time(22);
  a.path_case_sensitive = s.int64(23) != 0;
  return a;
}

Policy read_policy_row(const Statement& s) {
  Policy p;
  p.id = s.text(0);
  p.account_id = s.text(1);
  p.app_id = s.text(2);  // NULL reads as ""
  p.name = s.text(3);
  p.decision = parse_policy_decision(s.text(4)).value_or(PolicyDecision::deny);
  p.precedence = static_cast<int>(s.int64(5));
  if (!s.is_null(6)) p.session_duration = read_duration(s, 6, 7);
  p.created_at = s.time(8);
  p.updated_at = s.time(9);
  return p;
}

// Binds the 24 app columns in kAppColumns order.
void bind_app(Statement& s, const App& a) {
  s.bind(1, a.id).bind(2, a.account_id).bind(3, a.name).bind(4, a.type).bind(5, a.domain);
  s.bind(6, a.session_duration.text).bind(7, length_ns(a.session_duration));
  s.bind(8, a.read_service_tokens_from_header).bind(9, a.service_auth_401_redirect);
  s.bind(10, a.http_only_cookie_attribute);
  if (a.same_site_cookie_attribute) s.bind(11, same_site_text(*a.same_site_cookie_attribute));
  else s.bind_null(11);
  s.bind(12, a.path_cookie_attribute).bind(13, a.custom_deny_message).bind(14, a.cors_headers_json);
  s.bind(15, a.options_preflight_bypass).bind(16, a.origin);
  s.bind(17, static_cast<std::int64_t>(a.origin_timeout.connect.count()));
  s.bind(18, static_cast<std::int64_t>(a.origin_timeout.response_header.count()));
  s.bind(19, static_cast<std::int64_t>(a.origin_timeout.idle.count()));
  s.bind(20, a.aud).bind(21, a.tokens_revoked_before).bind(22, a.created_at).bind(23, a.updated_at);
  s.bind(24, a.path_case_sensitive);
}

}  // namespace

Result<void> insert_app_children(sqlite3* db, const App& a) {
  Statement d(db, "INSERT INTO app_destinations (app_id, position, uri) VALUES (?,?,?)");
  for (std::size_t i = 0; i < a.destinations.size(); ++i) {
    d.reset().bind(1, a.id).bind(2, static_cast<std::int64_t>(i)).bind(3, a.destinations[i]);
    if (d.step() != SQLITE_DONE) return db_error(db, "store app destinations");
  }
  Statement l(db, "INSERT INTO app_policies (app_id, policy_id, precedence) VALUES (?,?,?)");
  for (const auto& link : a.policies) {
    l.reset().bind(1, a.id).bind(2, link.policy_id).bind(3, link.precedence);
    if (l.step() != SQLITE_DONE) {
      if ((sqlite3_extended_errcode(db) & 0xFF) == SQLITE_CONSTRAINT)
        return conflict("policy_link_conflict",
                        "policy " + link.policy_id + " does not exist any more, or precedence " +
                            std::to_string(link.precedence) + " is used twice on this app");
      return db_error(db, "store app policy links");
    }
  }
  // An app-scoped policy's precedence is its link's (store.hpp).
  Statement sync(db,
                 "UPDATE policies SET precedence = (SELECT l.precedence FROM app_policies l "
                 "WHERE l.app_id = policies.app_id AND l.policy_id = policies.id) "
                 "WHERE app_id = ?1 AND id IN (SELECT policy_id FROM app_policies WHERE app_id = ?1)");
  sync.bind(1, a.id);
  if (sync.step() != SQLITE_DONE) return db_error(db, "store app policy links");
  return {};
}

Result<std::vector<App>> read_apps(sqlite3* db, Statement& s) {
  std::vector<App> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_app_row(s));
  if (rc != SQLITE_DONE) return db_error(db, "read apps");
  Statement d(db, "SELECT uri FROM app_destinations WHERE app_id = ? ORDER BY position");
  Statement l(db, "SELECT policy_id, precedence FROM app_policies WHERE app_id = ? ORDER BY precedence, policy_id");
  for (auto& a : out) {
    d.reset().bind(1, a.id);
    while ((rc = d.step()) == SQLITE_ROW) a.destinations.push_back(d.text(0));
    if (rc != SQLITE_DONE) return db_error(db, "read app destinations");
    l.reset().bind(1, a.id);
    while ((rc = l.step()) == SQLITE_ROW) a.policies.push_back(PolicyLink{l.text(0), static_cast<int>(l.int64(1))});
    if (rc != SQLITE_DONE) return db_error(db, "read app policy links");
  }
  return out;
}

Result<std::vector<Policy>> read_policies(sqlite3* db, Statement& s) {
  std::vector<Policy> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_policy_row(s));
  if (rc != SQLITE_DONE) return db_error(db, "read policies");
  Statement r(db, "SELECT list, kind, value FROM policy_rules WHERE policy_id = ? ORDER BY list, position");
  for (auto& p : out) {
    r.reset().bind(1, p.id);
    while ((rc = r.step()) == SQLITE_ROW) {
      const std::string list = r.text(0);
      const auto kind = rule_kind(r.text(1));
      // The schema's CHECK admits only known kinds; should one still be unknown, read
      // it as a service-token rule naming no token, which matches nobody.
      Rule rule{kind.value_or(Rule::Kind::service_token), kind ? r.text(2) : std::string()};
      (list == "include" ? p.include : list == "exclude" ? p.exclude : p.require).push_back(std::move(rule));
    }
    if (rc != SQLITE_DONE) return db_error(db, "read policy rules");
  }
  return out;
}

Result<void> insert_app_row(sqlite3* db, const App& a) {
  Statement s(db, std::string("INSERT INTO apps (") + kAppColumns +
                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  bind_app(s, a);
  if (s.step() != SQLITE_DONE) {
    if ((sqlite3_extended_errcode(db) & 0xFF) == SQLITE_CONSTRAINT)
      return conflict("app_conflict", "an app with this id or aud already exists");
    return db_error(db, "create app");
  }
  return {};
}

Result<bool> replace_app_rows(sqlite3* db, const App& a, Time expected) {
  // id, account_id, aud and created_at never change: they are part of the match.
  Statement s(db,
              "UPDATE apps SET name = ?3, type = ?4, domain = ?5, session_duration = ?6, session_duration_ns = ?7, "
              "read_service_tokens_from_header = ?8, service_auth_401_redirect = ?9, "
              "http_only_cookie_attribute = ?10, same_site_cookie_attribute = ?11, path_cookie_attribute = ?12, "
              "custom_deny_message = ?13, cors_headers_json = ?14, options_preflight_bypass = ?15, origin = ?16, "
              "origin_connect_ms = ?17, origin_response_header_ms = ?18, origin_idle_ms = ?19, "
              "tokens_revoked_before = ?21, updated_at = ?23, path_case_sensitive = ?24 "
              "WHERE id = ?1 AND account_id = ?2 AND aud = ?20 AND created_at = ?22 AND updated_at = ?25");
  bind_app(s, a);
  s.bind(25, expected);
  if (s.step() != SQLITE_DONE) return db_error(db, "update app");
  if (sqlite3_changes(db) != 1) return false;
  for (const char* sql : {"DELETE FROM app_destinations WHERE app_id = ?", "DELETE FROM app_policies WHERE app_id = ?"}) {
    Statement del(db, sql);
    del.bind(1, a.id);
    if (del.step() != SQLITE_DONE) return db_error(db, "update app");
  }
  if (auto r = insert_app_children(db, a); !r) return r.error();
  return true;
}

Result<void> insert_policy_rows(sqlite3* db, const Policy& p) {
  Statement s(db, std::string("INSERT INTO policies (") + kPolicyColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, p.id).bind(2, p.account_id);
  if (p.app_id.empty()) s.bind_null(3);
  else s.bind(3, p.app_id);
  s.bind(4, p.name).bind(5, to_string(p.decision)).bind(6, p.precedence);
  if (p.session_duration) s.bind(7, p.session_duration->text).bind(8, length_ns(*p.session_duration));
  else s.bind_null(7).bind_null(8);
  s.bind(9, p.created_at).bind(10, p.updated_at);
  if (s.step() != SQLITE_DONE) {
    if ((sqlite3_extended_errcode(db) & 0xFF) == SQLITE_CONSTRAINT)
      return conflict("policy_conflict", "a policy with this id already exists, or its app is gone");
    return db_error(db, "create policy");
  }
  return insert_policy_rules(db, p);
}

Result<void> insert_policy_rules(sqlite3* db, const Policy& p) {
  Statement r(db, "INSERT INTO policy_rules (policy_id, list, position, kind, value) VALUES (?,?,?,?,?)");
  const std::pair<const char*, const std::vector<Rule>*> lists[] = {
      {"include", &p.include}, {"exclude", &p.exclude}, {"require", &p.require}};
  for (const auto& [name, rules] : lists) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const Rule& rule = (*rules)[i];
      r.reset().bind(1, p.id).bind(2, name).bind(3, static_cast<std::int64_t>(i)).bind(4, to_string(rule.kind));
      r.bind(5, rule.value);
      if (r.step() != SQLITE_DONE) return db_error(db, "store policy rules");
    }
  }
  return {};
}

Result<void> delete_unlinked_app_policies(sqlite3* db, std::string_view app_id) {
  Statement s(db,
              "DELETE FROM policies WHERE app_id = ?1 AND id NOT IN "
              "(SELECT policy_id FROM app_policies WHERE app_id = ?1)");
  s.bind(1, app_id);
  if (s.step() != SQLITE_DONE) return db_error(db, "delete unlinked app policies");
  return {};
}

}  // namespace gatehouse::sqlite
