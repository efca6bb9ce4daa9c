#pragma once
// The edge side of `serve`: the published snapshot, its loader, the AccessGate and the
// EdgeServer. rebuild() is called after every admin change (synchronously, so a
// change is in force before the API answers: "revocation on the next request") and
// by the background worker for time-based changes. Concurrent calls share one
// reload (server/rebuild_coalescer.hpp). A change to a service token alone calls
// token_changed() instead: unless something else changed in the same wave, the
// edge reads back just those tokens and publishes them as an overlay over the last
// full load (edge/token_set.hpp), in time independent of how many tokens there are.
#include "edge/access_gate.hpp"
#include "edge/proxy/edge_server.hpp"
#include "edge/snapshot_loader.hpp"
#include "server/rebuild_coalescer.hpp"

#include <memory>

namespace gatehouse::server {

class EdgeRuntime {
 public:
  // gate.access_log (the authentication log, audit/access_log.hpp) must outlive this.
  EdgeRuntime(Store& store, const MasterKey& master, const Clock& clock, edge::EdgeOptions options,
              edge::GateOptions gate = {});

  // Returns once a snapshot loaded after this call began is published (true), or
  // that load failed: then the current one stays and stderr says why (false).
  // Thread-safe; concurrent callers share one load.
  bool rebuild() { return coalescer_.request(); }
  // The same guarantee for a change to one service token (created, changed, deleted).
  bool token_changed(std::string account_id, std::string id) {
    return coalescer_.request(edge::ChangedToken{std::move(account_id), std::move(id)});
  }

  void start() { server_.start(); }
  void stop() { server_.stop(); }
  std::optional<std::string> reload_tls() { return server_.reload_tls(); }
  std::string local_address() const { return server_.local_address(); }
  std::shared_ptr<const edge::Snapshot> snapshot() const { return holder_.load(); }

 private:
  bool apply(const RebuildWave& wave);  // one at a time (the coalescer runs it)
  bool load_and_publish();

  edge::SnapshotHolder holder_;
  edge::SnapshotLoader loader_;
  edge::AccessGate gate_;
  edge::EdgeServer server_;
  RebuildCoalescer coalescer_{[this](const RebuildWave& wave) { return apply(wave); }};
};

}  // namespace gatehouse::server
