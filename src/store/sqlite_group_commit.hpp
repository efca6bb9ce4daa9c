#pragma once
// Group commit: concurrent writes share one BEGIN IMMEDIATE … COMMIT, so one fsync
// (WAL, synchronous=FULL) makes all of them durable instead of one fsync each.
//
// A writer queues its change and waits. Whoever finds no batch in progress becomes
// the leader: it takes what is queued, runs each change in its own SAVEPOINT (so a
// constraint failure or an optimistic-revision miss undoes only that change, with the
// result it would have had alone), commits once, and hands every writer its result.
// Writers that arrive meanwhile form the next batch. Nobody is answered before the
// COMMIT that holds their change has returned. Internal to the store.
#include "core/account.hpp"
#include "core/error.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

struct sqlite3;

namespace gatehouse::sqlite {

// The caller's write, by reference: it lives on the caller's stack and the caller
// waits until the leader has run it, so no copy or allocation is needed.
class WriteBody {
 public:
  template <class F>
  explicit WriteBody(F& f) : obj_(&f), call_([](void* o) -> Result<bool> { return (*static_cast<F*>(o))(); }) {}
  Result<bool> operator()() const { return call_(obj_); }

 private:
  void* obj_;
  Result<bool> (*call_)(void*);
};

struct GroupCommitOptions {
  // Bounds one transaction (and so the wait of the batch's first writer).
  std::size_t max_batch = 256;
  // Tests: called, with no lock held, once a write is queued.
  std::function<void()> on_queued = {};
};

struct GroupCommitStats {
  std::uint64_t writes = 0;
  std::uint64_t transactions = 0;  // COMMITs (batches; a batch that fell back counts each write)
  std::uint64_t largest_batch = 0;
};

class GroupCommit {
 public:
  // `db_mutex` guards every use of `db` (SqliteStore::mutex()); write() takes it.
  GroupCommit(sqlite3* db, std::mutex& db_mutex, GroupCommitOptions options = {});
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `body`, then records `event`, and returns once both are durable. `body`
  // returns false to undo itself without error (nothing matched: no audit event).
  // Must not be called with `db_mutex` held.
  Result<bool> write(const AuditEvent& event, WriteBody body);

  GroupCommitStats stats() const;

 private:
  struct Pending {
    const AuditEvent* event;
    WriteBody body;
    std::optional<Result<bool>> result;
    bool done = false;
  };

  void run_batch(const std::vector<Pending*>& batch);  // with db_mutex_ held
  bool try_batch(const std::vector<Pending*>& batch);  // false: nothing committed
  void run_alone(Pending& p);

  sqlite3* db_;
  std::mutex& db_mutex_;
  GroupCommitOptions options_;

  mutable std::mutex mu_;  // the queue and the leader flag, never held during I/O
  std::condition_variable done_cv_;
  std::deque<Pending*> queue_;
  bool leading_ = false;
  GroupCommitStats stats_;
};

}  // namespace gatehouse::sqlite
