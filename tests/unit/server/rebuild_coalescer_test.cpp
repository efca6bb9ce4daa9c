// Coalesced edge rebuilds (server/rebuild_coalescer.hpp): a caller never returns
// before a snapshot loaded after its change was committed is published, and callers
// that arrive during a rebuild share the next one.
#include "server/rebuild_coalescer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

namespace gatehouse::server {
namespace {

// The "store" is a version counter: a change commits by incrementing it; a rebuild
// reads it (its snapshot includes every change up to that version) and publishes.
struct World {
  std::atomic<int> committed = 0;
  std::atomic<int> published = 0;
  std::atomic<bool> rebuilding = false;
  std::atomic<int> overlaps = 0;
  std::function<void(int)> inside;  // called with the version read, before publishing

  bool rebuild() {
    if (rebuilding.exchange(true)) ++overlaps;
    const int seen = committed.load();
    if (inside) inside(seen);
    published = seen;
    rebuilding = false;
    return true;
  }
};

TEST(RebuildCoalescer, ASequentialCallerRunsItsOwnRebuild) {
  World w;
  RebuildCoalescer c([&] { return w.rebuild(); });
  for (int i = 1; i <= 3; ++i) {
    w.committed = i;
    EXPECT_TRUE(c.request());
    EXPECT_EQ(w.published, i);
  }
  EXPECT_EQ(c.rebuilds(), 3u);
}

TEST(RebuildCoalescer, CallersArrivingDuringARebuildWaitForTheNextAndShareIt) {
  World w;
  constexpr int kWaiters = 8;
  std::latch first_inside(1), release(1), all_waiting(kWaiters);
  std::atomic<int> waits = 0;
  int calls = 0;
  w.inside = [&](int) {
    if (++calls == 1) {  // only the first rebuild is held
      first_inside.count_down();
      release.wait();
    }
  };
  RebuildCoalescer c([&] { return w.rebuild(); }, [&] {
    if (++waits <= kWaiters) all_waiting.count_down();
  });

  std::thread first([&] {
    w.committed = 1;
    c.request();
    EXPECT_GE(w.published, 1);
  });
  first_inside.wait();  // the first rebuild has read version 1 and is held
  std::vector<std::thread> waiters;
  std::atomic<int> returned = 0;
  for (int i = 0; i < kWaiters; ++i)
    waiters.emplace_back([&] {
      const int mine = ++w.committed;  // committed after the running rebuild read the store
      EXPECT_TRUE(c.request());
      // Never answered with the held rebuild's snapshot, which misses this change.
      EXPECT_GE(w.published, mine);
      ++returned;
    });
  all_waiting.wait();
  EXPECT_EQ(returned, 0);
  release.count_down();
  first.join();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(c.rebuilds(), 2u);  // the held one, then one for all eight
  EXPECT_EQ(w.published, 1 + kWaiters);
  EXPECT_EQ(w.overlaps, 0);
}

TEST(RebuildCoalescer, AFailedRebuildIsReportedToTheCallersItCovered) {
  bool ok = false;
  RebuildCoalescer c([&] { return ok; });
  EXPECT_FALSE(c.request());
  ok = true;
  EXPECT_TRUE(c.request());
}

TEST(RebuildCoalescer, ManyThreadsNeverSeeASnapshotOlderThanTheirChange) {
  World w;
  RebuildCoalescer c([&] { return w.rebuild(); });
  constexpr int kThreads = 8;
  constexpr int kEach = 300;
  std::atomic<int> stale = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        const int mine = ++w.committed;
        c.request();
        if (w.published < mine) ++stale;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(stale, 0);
  EXPECT_EQ(w.overlaps, 0);
  EXPECT_LE(c.rebuilds(), static_cast<std::uint64_t>(kThreads * kEach));
}

}  // namespace
}  // namespace gatehouse::server
