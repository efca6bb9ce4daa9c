#include "edge/snapshot_loader.hpp"

#include "service/signing_keys.hpp"

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
  return build_snapshot(std::move(in), clock_.now(), ++version_);
}

}  // namespace gatehouse::edge
