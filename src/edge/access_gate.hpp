#pragma once
// The edge's logic (DESIGN.md "Life of a request"): match the app, extract and check
// credentials, evaluate policies, issue or verify the app JWT, and say how to forward
// or what to answer. Also the /cdn-cgi/access/* endpoints and forward-auth (§3).
// Reads only the published snapshot: no locks, no store I/O.
#include "core/time.hpp"
#include "edge/access_log.hpp"
#include "edge/gate.hpp"
#include "edge/snapshot.hpp"
#include "policy/ip.hpp"

#include <vector>

namespace gatehouse::edge {

struct GateOptions {
  // Peers whose X-Forwarded-For the forward-auth endpoint believes (the proxy in
  // front). Default: loopback only.
  std::vector<Cidr> trusted_proxies;
  // Warn in-band when a token expires within this window (compat.md §3).
  std::chrono::hours expiry_warning{24 * 7};
  // Access log and last-seen sink; may be null (nothing is recorded).
  AccessLogSink* access_log = nullptr;
};

class AccessGate final : public Gate {
 public:
  AccessGate(const SnapshotHolder& snapshots, const Clock& clock, GateOptions options = {});

  Verdict decide(const RequestHead& head) override;
  http::Response transport_error(int status, std::string_view reason_slug, std::string_view message,
                                 const RequestHead* head) override;

 private:
  struct Target;
  Verdict decide_app(const Snapshot& snap, const AppView& app, const RequestHead& head, const Target& target,
                     std::string_view request_id);
  Verdict cdn_cgi(const Snapshot& snap, const RequestHead& head, std::string_view host, std::string_view path,
                  std::string_view request_id);
  Verdict forward_auth(const Snapshot& snap, const RequestHead& head, std::string_view request_id);

  const SnapshotHolder& snapshots_;
  const Clock& clock_;
  GateOptions options_;
};

}  // namespace gatehouse::edge
