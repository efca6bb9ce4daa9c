#pragma once
// Coalesced edge rebuilds. A change must not be answered before the edge has published
// a snapshot loaded *after* the change was committed ("revocation on the next
// request"), but concurrent changes need not pay for one full reload each.
//
// Generations: a caller needs the first rebuild that starts after it arrived. If none
// is running, it runs one itself; if one is running (it may have read the store
// before this caller's commit), it waits for the next, which one of the waiters runs
// and which covers everything committed before it started. So under load a rebuild
// serves every change that arrived during the previous one.
//
// Waves: what the callers changed accumulates until a rebuild starts and takes it all.
// A caller that changed only a service token names it, and a wave made only of such
// callers can update the tokens alone; a caller that changed anything else (or a
// failed wave, whose changes may be missing at the edge) makes the wave a full one.
#include "edge/changed_token.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace gatehouse::server {

struct RebuildWave {
  bool full = false;                        // reload everything
  std::vector<edge::ChangedToken> tokens;   // else: read back just these
};

class RebuildCoalescer {
 public:
  // `rebuild` loads and publishes; false when it failed (the previous snapshot stays).
  // `on_wait` (tests) is called, with the lock held, when a caller starts waiting for
  // a rebuild someone else runs.
  explicit RebuildCoalescer(std::function<bool(const RebuildWave&)> rebuild, std::function<void()> on_wait = {})
      : rebuild_(std::move(rebuild)), on_wait_(std::move(on_wait)) {}
  // Every wave a full one, whatever the callers changed.
  explicit RebuildCoalescer(std::function<bool()> rebuild, std::function<void()> on_wait = {})
      : RebuildCoalescer([r = std::move(rebuild)](const RebuildWave&) { return r(); }, std::move(on_wait)) {}

  // Returns once a rebuild that started after this call began has finished; its
  // result (true: published). Thread-safe; rebuilds never run concurrently.
  bool request() { return enqueue_and_wait(std::nullopt); }
  // The same, for a change to this token alone.
  bool request(edge::ChangedToken token) { return enqueue_and_wait(std::move(token)); }

  // Rebuilds run so far.
  std::uint64_t rebuilds() const;

 private:
  bool enqueue_and_wait(std::optional<edge::ChangedToken> token);

  std::function<bool(const RebuildWave&)> rebuild_;
  std::function<void()> on_wait_;
  mutable std::mutex mu_;
  std::condition_variable finished_cv_;
  RebuildWave pending_;         // for the next rebuild to start
  std::uint64_t started_ = 0;   // generation of the last rebuild started
  std::uint64_t finished_ = 0;  // generation of the last rebuild finished
  bool running_ = false;
  bool last_ok_ = true;  // result of generation finished_
};

}  // namespace gatehouse::server
