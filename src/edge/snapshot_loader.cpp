#include "edge/snapshot_loader.hpp"

#include "service/signing_keys.hpp"

#include <algorithm>

namespace gatehouse::edge {

Result<std::shared_ptr<const Snapshot>> SnapshotLoader::load() {
  SnapshotInputs in;
  auto orgs = store_.list_organizations();
  if (!orgs) return orgs.error();
  in.organizations = std::move(*orgs);
  auto apps = store_.list_all_apps();
  if (!apps) return apps.error();
  in.apps = std::move(*apps);
  auto policies = store_.list_all_policies();
  if (!policies) return policies.error();
  in.policies = std::move(*policies);
  // Streamed from the store straight into the compact index: no ServiceToken objects.
  TokenIndexBuilder tokens;
  if (auto r = store_.scan_edge_tokens(tokens); !r) return r.error();
  in.token_index = tokens.finish();
  auto keys = store_.list_all_signing_keys();
  if (!keys) return keys.error();

  undecryptable_.clear();
  std::unordered_map<std::string, std::shared_ptr<const SigningKey>> still_used;
  for (auto& stored : *keys) {
    std::shared_ptr<const SigningKey> live;
    if (auto it = keys_.find(stored.kid); it != keys_.end()) live = it->second;
    else live = decrypt_signing_key(stored, master_);
    if (!live) undecryptable_.push_back(stored.kid);
    else still_used.emplace(stored.kid, live);
    in.keys.push_back({std::move(stored), std::move(live)});
  }
  keys_ = std::move(still_used);
  last_ = build_snapshot(std::move(in), clock_.now(), ++version_);
  return last_;
}

namespace {

// The token with this id as the edge would find it: the overlay first, then the base.
TokenView visible(const TokenIndex& overlay, const TokenIndex& base, std::string_view id) {
  if (const TokenView v = overlay.find_by_id(id)) return v.removed() ? TokenView() : v;
  return base.find_by_id(id);
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> SnapshotLoader::load_tokens(std::span<const ChangedToken> changed) {
  const auto full_load = std::shared_ptr<const Snapshot>();
  if (!last_) return full_load;
  const TokenSet& current = *last_->tokens;
  const TokenIndex& base = *current.base();
  const std::size_t bound = std::max(overlay_min_, base.size() / 100);
  if (current.overlay_entries() + changed.size() > bound) return full_load;

  std::vector<std::optional<ServiceToken>> fresh;
  fresh.reserve(changed.size());
  for (const auto& c : changed) {
    auto found = store_.find_service_token(c.account_id, c.id);
    if (!found) return found.error();
    fresh.push_back(std::move(*found));
  }

  // Any case this cannot express (ids not canonical, a client id that changed) makes
  // the editor refuse: the edited copy is dropped and a full load does it instead.
  TokenOverlayEditor overlay(current.overlay().get());
  std::size_t size = current.size();
  for (std::size_t i = 0; i < changed.size(); ++i) {
    const std::string& id = changed[i].id;
    std::optional<Key16> known_client;  // the client id the edge finds it by now
    if (const TokenView v = visible(overlay.index(), base, id)) {
      known_client = parse_client_id_key(v.client_id());
      if (!known_client) return full_load;
    }
    if (const auto& token = fresh[i]) {
      if (known_client && parse_client_id_key(token->client_id) != known_client) return full_load;
      if (!overlay.put(edge_token_row(*token))) return full_load;
      if (!known_client) ++size;
    } else if (known_client) {
      const auto id_key = parse_token_id_key(id);
      if (!id_key || !overlay.remove(*id_key, *known_client)) return full_load;
      --size;
    }
  }
  auto tokens = std::make_shared<const TokenSet>(current.base(), overlay.finish(), size);
  last_ = std::make_shared<const Snapshot>(last_->config, std::move(tokens), ++version_);
  return last_;
}

}  // namespace gatehouse::edge
