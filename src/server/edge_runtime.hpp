#pragma once
// The edge side of `serve`: the published snapshot, its loader, the AccessGate and the
// EdgeServer. rebuild() is called after every admin change (synchronously, so a
// change is in force before the API answers: "revocation on the next request") and
// by the background worker for time-based changes.
#include "edge/access_gate.hpp"
#include "edge/proxy/edge_server.hpp"
#include "edge/snapshot_loader.hpp"

#include <memory>
#include <mutex>

namespace gatehouse::server {

class EdgeRuntime {
 public:
  // gate.access_log (the authentication log, audit/access_log.hpp) must outlive this.
  EdgeRuntime(Store& store, const MasterKey& master, const Clock& clock, edge::EdgeOptions options,
              edge::GateOptions gate = {});

  // Loads and publishes a new snapshot; on failure keeps the current one and says
  // why on stderr. Thread-safe.
  bool rebuild();

  void start() { server_.start(); }
  void stop() { server_.stop(); }
  std::optional<std::string> reload_tls() { return server_.reload_tls(); }
  std::string local_address() const { return server_.local_address(); }
  std::shared_ptr<const edge::Snapshot> snapshot() const { return holder_.load(); }

 private:
  std::mutex rebuild_mutex_;
  edge::SnapshotHolder holder_;
  edge::SnapshotLoader loader_;
  edge::AccessGate gate_;
  edge::EdgeServer server_;
};

}  // namespace gatehouse::server
