#include "edge/snapshot.hpp"

#include "jwt/jwks.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace gatehouse::edge {

namespace {

void add_keys(AccountView& view, std::vector<SnapshotInputs::Key*>& keys, Time now) {
  // Newest first: the newest unretired key signs; every key still published verifies.
  std::sort(keys.begin(), keys.end(),
            [](const auto* a, const auto* b) { return a->stored.created_at > b->stored.created_at; });
  std::vector<PublishedKey> previous;
  std::optional<PublishedKey> current;
  for (auto* k : keys) {
    const auto& s = k->stored;
    if (s.retired_at && now - *s.retired_at >= kRetiredKeyPublished) continue;
    if (!k->live) continue;
    auto pub = public_jwk(k->live->pkey());
    if (!pub) continue;
    EVP_PKEY* raw = k->live->pkey();
    EVP_PKEY_up_ref(raw);
    view.verify_keys.emplace(s.kid, std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free));
    PublishedKey published{s.kid, std::move(*pub), s.certificate_pem};
    if (!s.retired_at && !view.signing_key) {
      view.signing_key = k->live;
      current = std::move(published);
    } else {
      previous.push_back(std::move(published));
    }
  }
  if (current) view.jwks_json = boost::json::serialize(build_jwks(*current, previous));
  else if (!previous.empty()) view.jwks_json = boost::json::serialize(build_jwks(previous.front(), std::span(previous).subspan(1)));
  else view.jwks_json = R"({"keys":[],"public_certs":[]})";
}

}  // namespace

std::shared_ptr<const Snapshot> build_snapshot(SnapshotInputs in, Time now, std::uint64_t version) {
  auto config = std::make_shared<SnapshotConfig>();

  for (auto& org : in.organizations) {
    AccountView view;
    view.issuer = "https://" + org.auth_domain;
    view.org = std::move(org);
    config->accounts.emplace(view.org.account_id, std::move(view));
  }
  std::unordered_map<std::string, std::vector<SnapshotInputs::Key*>> keys_by_account;
  for (auto& k : in.keys) keys_by_account[k.stored.account_id].push_back(&k);
  for (auto& [account_id, view] : config->accounts) {
    add_keys(view, keys_by_account[account_id], now);
    config->accounts_by_auth_domain.emplace(AppMatcher::normalize_host(view.org.auth_domain), &view);
  }

  std::shared_ptr<const TokenIndex> token_index = std::move(in.token_index);
  if (!token_index) {
    TokenIndexBuilder tokens;
    tokens.expect(in.tokens.size());
    for (const auto& t : in.tokens) tokens.add(t);
    token_index = tokens.finish();
  }

  std::unordered_map<std::string, const Policy*> policy_by_id;
  for (const auto& p : in.policies) policy_by_id.emplace(p.id, &p);

  config->apps.reserve(in.apps.size());
  for (auto& app : in.apps) {
    auto account = config->accounts.find(app.account_id);
    if (account == config->accounts.end()) continue;  // no organization: not servable
    AppView view;
    view.account = &account->second;
    std::vector<PolicyLink> links = app.policies;
    std::stable_sort(links.begin(), links.end(), [](const auto& a, const auto& b) { return a.precedence < b.precedence; });
    for (const auto& link : links)
      if (auto p = policy_by_id.find(link.policy_id); p != policy_by_id.end()) view.policies.push_back(*p->second);
    for (const auto& p : view.policies) {
      view.ordered.push_back(&p);
      if (p.decision == PolicyDecision::allow) view.has_allow_policies = true;
    }
    std::string error;
    if (auto up = parse_upstream(app.origin, app.origin_timeout, &error)) view.upstream = std::make_shared<const Upstream>(std::move(*up));
    if (app.path_cookie_attribute) {
      const auto slash = app.domain.find('/');
      if (slash != std::string::npos) view.cookie_path = app.domain.substr(slash);
    }
    view.cors = parse_cors_policy(app.cors_headers_json);
    view.app = std::move(app);
    config->apps.push_back(std::move(view));
  }
  // Pointers into view.policies were taken before the move into `apps`; vectors keep
  // their buffers on move, but re-point anyway so the invariant does not rest on that.
  for (std::size_t i = 0; i < config->apps.size(); ++i) {
    auto& view = config->apps[i];
    view.ordered.clear();
    for (const auto& p : view.policies) view.ordered.push_back(&p);
    if (view.app.type != "self_hosted") continue;
    config->matcher.add(view.app.domain, i, view.app.path_case_sensitive);
    for (const auto& d : view.app.destinations) config->matcher.add(d, i, view.app.path_case_sensitive);
  }
  return std::make_shared<const Snapshot>(std::move(config), std::make_shared<const TokenSet>(std::move(token_index)),
                                          version);
}

}  // namespace gatehouse::edge
