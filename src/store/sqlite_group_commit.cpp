#include "store/sqlite_group_commit.hpp"

#include "store/sqlite_tx.hpp"
#include "store/sqlite_util.hpp"

#include <algorithm>
#include <exception>

namespace gatehouse::sqlite {

namespace {

// Replaces SQLite's automatic checkpoint (PASSIVE at 1,000 WAL pages). The edge reloads
// its snapshot on a second connection, back to back under load; a PASSIVE checkpoint
// never finds a moment without a reader, so the WAL is never restarted and grows
// without bound (130 MB in 30 s of creations), slowing every read and commit. RESTART
// waits (busy handler) for the readers of the moment to finish, after which the WAL is
// written from its start again. Runs after the COMMIT is durable, with the store mutex held.
constexpr int kCheckpointPages = 1000;

int checkpoint_when_long(void*, sqlite3* db, const char* schema, int pages) {
  if (pages >= kCheckpointPages) sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  return SQLITE_OK;
}

}  // namespace

GroupCommit::GroupCommit(sqlite3* db, std::mutex& db_mutex, GroupCommitOptions options)
    : db_(db), db_mutex_(db_mutex), options_(std::move(options)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  sqlite3_wal_hook(db_, &checkpoint_when_long, nullptr);
}

Result<bool> GroupCommit::write(const AuditEvent& event, WriteBody body) {
  Pending me{&event, body, std::nullopt, false};
  std::unique_lock lock(mu_);
  queue_.push_back(&me);
  if (options_.on_queued) {
    lock.unlock();
    options_.on_queued();
    lock.lock();
  }
  while (!me.done) {
    if (leading_) {
      done_cv_.wait(lock);
      continue;
    }
    // Lead: commit what is queued (this write is among it unless the queue is longer
    // than one batch, in which case the loop leads again).
    leading_ = true;
    const std::size_t n = std::min(queue_.size(), options_.max_batch);
    std::vector<Pending*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    {
      std::lock_guard db(db_mutex_);
      run_batch(batch);
    }
    lock.lock();
    for (auto* p : batch) p->done = true;
    stats_.writes += batch.size();
    stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, batch.size());
    leading_ = false;
    done_cv_.notify_all();
  }
  return std::move(*me.result);
}

GroupCommitStats GroupCommit::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommit::run_batch(const std::vector<Pending*>& batch) {
  // A throwing body (out of memory) must not leave its batch-mates waiting forever.
  try {
    if (batch.size() == 1) {
      run_alone(*batch.front());
    } else if (try_batch(batch)) {
      std::lock_guard lock(mu_);
      ++stats_.transactions;
    } else {
      // The shared transaction failed as a whole (BEGIN or COMMIT failed, or SQLite
      // rolled it back after an I/O error): nothing of it is on disk, so each write
      // runs again on its own and gets exactly the result it would have had alone.
      for (auto* p : batch) run_alone(*p);
    }
  } catch (const std::exception& e) {
    for (auto* p : batch)
      if (!p->result) p->result = internal_error("store_failure", std::string("write failed: ") + e.what());
  }
}

bool GroupCommit::try_batch(const std::vector<Pending*>& batch) {
  Transaction tx(db_);
  if (!tx.begin()) return false;
  std::vector<std::optional<Result<bool>>> results(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Pending& p = *batch[i];
    if (!exec(db_, "SAVEPOINT group_write", "savepoint")) return false;
    Result<bool> r = p.body();
    bool keep = r && *r;
    if (keep) {
      if (auto audited = insert_audit(db_, *p.event); !audited) {
        r = audited.error();
        keep = false;
      }
    }
    // Some errors (I/O, disk full, out of memory) make SQLite roll back the whole
    // transaction: the batch-mates' changes are gone too.
    if (sqlite3_get_autocommit(db_)) return false;
    if (!keep && !exec(db_, "ROLLBACK TO group_write", "rollback to savepoint")) return false;
    if (!exec(db_, "RELEASE group_write", "release savepoint")) return false;
    results[i] = std::move(r);
  }
  if (!tx.commit()) return false;
  // Only now, with the COMMIT (and its fsync) done, may anyone see a result.
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
  return true;
}

// The serial path: one transaction for one write (what in_transaction always did).
void GroupCommit::run_alone(Pending& p) {
  {
    std::lock_guard lock(mu_);
    ++stats_.transactions;
  }
  p.result = [&]() -> Result<bool> {
    Transaction tx(db_);
    if (auto r = tx.begin(); !r) return r.error();
    Result<bool> applied = p.body();
    if (!applied) return applied.error();
    if (!*applied) return false;
    if (auto r = insert_audit(db_, *p.event); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
    return true;
  }();
}

}  // namespace gatehouse::sqlite
