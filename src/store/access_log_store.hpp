#pragma once
// The authentication log (compat.md §1.6): one row per decision the edge made about a
// known client id or an Access JWT. Written in batches by the access-log writer
// (audit/access_log.hpp), queried by the admin API, pruned by retention.
#include "core/error.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gatehouse {

struct AccessRequest {
  std::int64_t id = 0;  // set by the store: insertion order, stable, unique
  Time created_at{};    // when the edge decided
  std::string account_id;
  std::string app_id;
  std::string app_domain;  // host the request named, lower case, without port
  std::string service_token_id;
  std::string service_token_name;  // as it was at the time
  std::string client_id;
  bool allowed = false;
  std::string reason;  // exact slug: allowed, bypass, bad_secret, service_token_expired, policy_denied, …
  std::string ip_address;
  std::string ray_id;
  int client_secret_version = 0;  // which secret matched; 0 when none did (or a JWT)
  bool via_jwt = false;
  // Decisions this row stands for: allowed decisions identical but for their time and
  // ray id are coalesced within a window (audit/coalesce.hpp); refusals are always 1.
  std::int64_t count = 1;
};

struct AccessRequestQuery {
  std::string account_id;
  std::optional<Time> since;  // inclusive
  std::optional<Time> until;  // inclusive
  bool ascending = false;     // default: newest first
  std::optional<std::string> token_name;
  std::optional<std::string> token_id;
  std::optional<std::string> client_id;
  std::vector<std::string> apps;  // any of them, each an app id or an app_domain
  std::optional<bool> allowed;
  std::optional<std::string> reason;
  std::optional<std::string> ray_id;
  std::optional<std::string> ip_address;
  PageRequest page;
};

// Totals kept across restarts (gatehouse status, /metrics).
struct AccessLogCounters {
  std::int64_t unknown_client_ids = 0;  // attempts with a client id no token has (not logged per try)
  std::int64_t dropped = 0;             // records the edge could not queue (buffer full)
  std::int64_t written = 0;             // decisions stored (the sum of the rows' counts)
};

class AccessLogStore {
 public:
  virtual ~AccessLogStore() = default;
  // One transaction for the whole batch, with the counter increments.
  virtual Result<void> insert_access_requests(std::span<const AccessRequest> rows, const AccessLogCounters& add) = 0;
  virtual Result<PageOf<AccessRequest>> list_access_requests(const AccessRequestQuery& q) = 0;
  // Deletes rows created before `cutoff`, at most `limit` of them; returns how many.
  virtual Result<std::int64_t> prune_access_requests(Time cutoff, int limit) = 0;
  virtual Result<AccessLogCounters> access_log_counters() = 0;
};

}  // namespace gatehouse
