// Coalesced edge rebuilds (server/rebuild_coalescer.hpp): a caller never returns
// before a snapshot loaded after its change was committed is published, and callers
// that arrive during a rebuild share the next one.
#include "server/rebuild_coalescer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <set>
#include <string>
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

// Token waves: each caller names the token it changed; a wave made only of those reads
// back exactly the tokens pending when it starts.
struct TokenWorld {
  std::mutex mu;
  std::set<std::string> committed;  // the store
  std::set<std::string> published;  // the edge
  std::vector<RebuildWave> waves;
  std::atomic<bool> rebuilding = false;
  std::atomic<int> overlaps = 0;

  void commit(const std::string& id) {
    std::lock_guard lock(mu);
    committed.insert(id);
  }
  bool sees(const std::string& id) {
    std::lock_guard lock(mu);
    return published.count(id) != 0;
  }
  bool rebuild(const RebuildWave& wave) {
    if (rebuilding.exchange(true)) ++overlaps;
    {
      std::lock_guard lock(mu);
      waves.push_back(wave);
      if (wave.full) {
        published = committed;
      } else {
        for (const auto& t : wave.tokens)
          if (committed.count(t.id)) published.insert(t.id);
      }
    }
    rebuilding = false;
    return true;
  }
};

TEST(RebuildCoalescer, ConcurrentTokenChangesEachSeeTheirOwnWithoutAFullReload) {
  TokenWorld w;
  RebuildCoalescer c([&](const RebuildWave& wave) { return w.rebuild(wave); });
  constexpr int kThreads = 16;
  constexpr int kEach = 100;
  std::atomic<int> missing = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        w.commit(id);
        EXPECT_TRUE(c.request(edge::ChangedToken{"acct", id}));
        if (!w.sees(id)) ++missing;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(w.overlaps, 0);
  std::size_t tokens = 0;
  for (const auto& wave : w.waves) {
    EXPECT_FALSE(wave.full);
    EXPECT_FALSE(wave.tokens.empty());
    tokens += wave.tokens.size();
  }
  EXPECT_EQ(tokens, static_cast<std::size_t>(kThreads * kEach));  // each token read back once
}

TEST(RebuildCoalescer, AFullChangeInAWaveMakesItFullAndItStillCoversThePendingTokens) {
  TokenWorld w;
  std::latch first_inside(1), release(1), both_waiting(2);
  std::atomic<int> waits = 0;
  std::atomic<int> calls = 0;
  RebuildCoalescer c(
      [&](const RebuildWave& wave) {
        if (++calls == 1) {
          first_inside.count_down();
          release.wait();
        }
        return w.rebuild(wave);
      },
      [&] {
        if (++waits <= 2) both_waiting.count_down();
      });
  std::thread first([&] {
    w.commit("first");
    c.request(edge::ChangedToken{"acct", "first"});
  });
  first_inside.wait();
  std::thread token([&] {
    w.commit("pending");
    EXPECT_TRUE(c.request(edge::ChangedToken{"acct", "pending"}));
    EXPECT_TRUE(w.sees("pending"));
  });
  std::thread app([&] {
    w.commit("app-change");
    EXPECT_TRUE(c.request());
    EXPECT_TRUE(w.sees("app-change"));
  });
  both_waiting.wait();
  release.count_down();
  first.join();
  token.join();
  app.join();
  ASSERT_EQ(w.waves.size(), 2u);
  EXPECT_FALSE(w.waves[0].full);
  EXPECT_TRUE(w.waves[1].full);  // one full reload covers both
  ASSERT_EQ(w.waves[1].tokens.size(), 1u);
  EXPECT_EQ(w.waves[1].tokens[0].id, "pending");
}

TEST(RebuildCoalescer, AfterAFailedWaveTheNextOneIsFull) {
  std::vector<RebuildWave> waves;
  RebuildCoalescer c([&](const RebuildWave& wave) {
    waves.push_back(wave);
    return waves.size() != 1;  // the first fails: its token may be missing at the edge
  });
  EXPECT_FALSE(c.request(edge::ChangedToken{"acct", "a"}));
  EXPECT_TRUE(c.request(edge::ChangedToken{"acct", "b"}));
  EXPECT_TRUE(c.request(edge::ChangedToken{"acct", "c"}));
  ASSERT_EQ(waves.size(), 3u);
  EXPECT_FALSE(waves[0].full);
  EXPECT_TRUE(waves[1].full);
  EXPECT_FALSE(waves[2].full);
}

}  // namespace
}  // namespace gatehouse::server
