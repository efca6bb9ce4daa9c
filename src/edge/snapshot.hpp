#pragma once
// Everything the edge needs to decide a request, immutable once built: apps with
// their ordered policies and upstreams, the token index (by client id and by id), and each
// account's organization and live keys. Rebuilt off the hot path after a change and
// published atomically (SnapshotHolder); a request holds one reference throughout.
#include "core/account.hpp"
#include "core/app.hpp"
#include "core/policy.hpp"
#include "core/service_token.hpp"
#include "edge/cors.hpp"
#include "edge/gate.hpp"
#include "edge/token_index.hpp"
#include "edge/token_set.hpp"
#include "jwt/rsa_key.hpp"
#include "policy/app_matcher.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace gatehouse::edge {

struct AccountView {
  Organization org;
  std::string issuer;  // "https://" + auth_domain
  std::shared_ptr<const SigningKey> signing_key;  // current; null if the account has none yet
  // kid -> public key, current and previous keys (rotated out less than 7 days ago).
  std::unordered_map<std::string, std::shared_ptr<EVP_PKEY>> verify_keys;
  std::string jwks_json;  // the /cdn-cgi/access/certs document
};

struct AppView {
  App app;
  const AccountView* account = nullptr;
  std::shared_ptr<const Upstream> upstream;  // null: the app has no usable origin
  std::vector<Policy> policies;              // copies, ordered by precedence
  std::vector<const Policy*> ordered;        // pointers into `policies`
  bool has_allow_policies = false;
  std::string cookie_path = "/";
  std::optional<CorsPolicy> cors;  // parsed cors_headers
};

// The part of a snapshot that only a full rebuild changes: apps (which point into
// `accounts`), the matcher and the accounts. Shared, never copied, by the snapshots
// that a change to tokens alone publishes.
struct SnapshotConfig {
  std::vector<AppView> apps;  // never resized after build: AppView addresses are stable
  AppMatcher matcher;         // indexes into `apps`
  std::unordered_map<std::string, AccountView> accounts;  // by account id
  std::unordered_map<std::string, const AccountView*> accounts_by_auth_domain;
};

struct Snapshot {
  Snapshot() : Snapshot(std::make_shared<const SnapshotConfig>(), std::make_shared<const TokenSet>(), 0) {}
  Snapshot(std::shared_ptr<const SnapshotConfig> shared, std::shared_ptr<const TokenSet> token_set, std::uint64_t v)
      : version(v),
        config(std::move(shared)),
        tokens(std::move(token_set)),
        apps(config->apps),
        matcher(config->matcher),
        accounts(config->accounts),
        accounts_by_auth_domain(config->accounts_by_auth_domain) {}

  std::uint64_t version = 0;
  std::shared_ptr<const SnapshotConfig> config;  // never null
  // Its own component, never null: a change to tokens alone publishes a snapshot with
  // a new token set and the same config (edge/token_set.hpp).
  std::shared_ptr<const TokenSet> tokens;
  // Views of `config` (which this snapshot keeps alive), under the names the gate uses.
  const std::vector<AppView>& apps;
  const AppMatcher& matcher;
  const std::unordered_map<std::string, AccountView>& accounts;
  const std::unordered_map<std::string, const AccountView*>& accounts_by_auth_domain;

  const AppView* match(std::string_view host, std::string_view path) const {
    const auto i = matcher.match(host, path);
    return i == AppMatcher::npos ? nullptr : &apps[i];
  }
};

// The raw material, as loaded from the store (keys already decrypted).
struct SnapshotInputs {
  std::vector<Organization> organizations;
  std::vector<App> apps;
  std::vector<Policy> policies;
  std::vector<ServiceToken> tokens;  // indexed by build_snapshot unless token_index is set
  std::shared_ptr<const TokenIndex> token_index;  // prebuilt (the loader streams it from the store)
  struct Key {
    StoredSigningKey stored;
    std::shared_ptr<const SigningKey> live;  // decrypted private key
  };
  std::vector<Key> keys;
};

// Pure: builds the snapshot. Apps whose origin does not parse get no upstream (the
// edge answers 502 for them). Keys retired 7 days or more before `now` are left out.
std::shared_ptr<const Snapshot> build_snapshot(SnapshotInputs inputs, Time now, std::uint64_t version);

// The published snapshot. load() is safe from any thread and never blocks on a writer.
class SnapshotHolder {
 public:
  SnapshotHolder() : current_(std::make_shared<const Snapshot>()) {}
  std::shared_ptr<const Snapshot> load() const { return current_.load(std::memory_order_acquire); }
  void publish(std::shared_ptr<const Snapshot> s) { current_.store(std::move(s), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

inline constexpr std::chrono::hours kRetiredKeyPublished{24 * 7};

}  // namespace gatehouse::edge
