#pragma once
// What the edge reports about each authentication decision (compat.md §1.6) and each
// successful use of a token (last seen, §3). The Gate calls the sink on the hot path:
// implementations must not block or do I/O there (queue and return).
#include "core/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse::edge {

struct AccessRecord {
  Time at{};
  std::string account_id;
  std::string app_id;
  std::string app_domain;  // the host the request named
  std::string service_token_id;
  std::string service_token_name;
  std::string client_id;
  bool allowed = false;
  std::string reason;  // exact slug (also the ones shown publicly as invalid_service_token)
  std::string ip_address;
  std::string ray_id;
  int client_secret_version = 0;  // which secret matched; 0 when none did
  bool via_jwt = false;           // presented an Access JWT rather than the secret
  std::int64_t count = 1;         // identical allowed decisions this record stands for
};

class AccessLogSink {
 public:
  virtual ~AccessLogSink() = default;
  // One call per decision about a known client id or a verified JWT. By reference:
  // the caller may reuse one record (its strings' capacity) for every call, and a
  // sink that merges a decision into the previous one copies nothing.
  virtual void record(const AccessRecord& record) noexcept = 0;
  // A client id that no token has: counted, not logged per try.
  virtual void unknown_client_id() noexcept = 0;
  // A successful authentication with secret `version` (0 for a JWT) of `token_id`.
  virtual void seen(std::string_view token_id, int version, Time at) noexcept = 0;
};

}  // namespace gatehouse::edge
