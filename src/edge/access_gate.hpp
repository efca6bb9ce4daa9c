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

#include <optional>
#include <vector>

namespace gatehouse::edge {

struct GateOptions {
  // Peers whose X-Forwarded-For is believed (edge/client_address.hpp), for the edge's
  // requests and for forward-auth's. Unset: nobody's at the edge, loopback's for
  // forward-auth (the proxy in front asking). `trusted_proxies` in the config.
  std::optional<std::vector<Cidr>> trusted_proxies;
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
  std::vector<Cidr> edge_proxies_;
  std::vector<Cidr> forward_auth_proxies_;
};

}  // namespace gatehouse::edge
