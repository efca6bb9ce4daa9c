#pragma once
// What one edge thread has reported and the access-log writer has not taken yet
// (audit/access_log.hpp). Owned by the AccessLog and by the thread's cache (so a
// thread that outlives the log never touches freed memory).
//
// Thread contract: `mutex` is taken by the owning edge thread on each report and by
// the writer for an O(1) swap of the containers; no other thread ever takes it, so
// the edge waits at most for that swap.
#include "core/time.hpp"
#include "edge/access_log.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gatehouse::audit {

// Token id -> latest use per secret version; looked up by string_view (no allocation
// for a token already in the map).
struct TokenIdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct SeenVersions {
  // Few versions are in use at once (current, previous in grace, JWTs = 0).
  std::vector<std::pair<int, Time>> latest;
  void note(int version, Time at) {
    for (auto& [v, t] : latest)
      if (v == version) {
        if (at > t) t = at;
        return;
      }
    latest.emplace_back(version, at);
  }
};
using SeenMap = std::unordered_map<std::string, SeenVersions, TokenIdHash, std::equal_to<>>;

struct EdgeThreadBuffer {
  std::mutex mutex;
  std::vector<edge::AccessRecord> records;  // queued, oldest first
  std::vector<edge::AccessRecord> spare;    // an emptied batch, swapped in to reuse its capacity
  SeenMap seen;
  std::uint64_t dropped = 0;
  std::uint64_t unknown_client_ids = 0;
};

}  // namespace gatehouse::audit
