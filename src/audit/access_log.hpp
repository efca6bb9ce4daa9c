#pragma once
// The edge's AccessLogSink (edge/access_log.hpp): the authentication log (compat.md
// §1.6), the unknown-client-id counter, and last seen (§3).
//
// Thread contract:
// - record(), unknown_client_id() and seen() are called by edge threads on the hot
//   path. Each thread appends to its own buffer (EdgeThreadBuffer) under that
//   buffer's own mutex, which only the writer ever takes besides it, for an O(1) swap:
//   no I/O, no waiting on the database. Every 4,096 records a thread moves its batch
//   to the writer's inbox (one short lock shared with the other threads, once per
//   batch), so a burst waits there while the writer is busy in a transaction. When the
//   inbox is full too, a full buffer drops the record and counts it
//   (stats().dropped) rather than block.
// - One writer thread (start()) drains the buffers every write_interval, writes the
//   records in batches (one transaction per rows_per_transaction rows), mirrors them
//   as JSON lines, writes last-seen times every last_seen_interval, and prunes rows
//   older than the retention.
// - flush() and prune_expired() may be called from any thread (tests, the background
//   worker); they serialise with the writer. stop() drains everything before it
//   returns: call it after the edge has stopped, so nothing is lost on SIGTERM.
#include "audit/access_log_options.hpp"
#include "audit/edge_thread_buffer.hpp"
#include "edge/access_log.hpp"
#include "store/access_log_store.hpp"
#include "store/sqlite_token_usage.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace gatehouse::audit {

// Totals since this process started.
struct AccessLogStats {
  std::uint64_t written = 0;             // rows stored
  std::uint64_t dropped = 0;             // records lost: an edge buffer was full, or the store failed too long
  std::uint64_t unknown_client_ids = 0;  // attempts with a client id no token has
  std::uint64_t write_errors = 0;        // failed batches (retried)
  // Decisions written, by app id and outcome.
  std::map<std::pair<std::string, bool>, std::uint64_t> by_app;
};

class AccessLog final : public edge::AccessLogSink {
 public:
  // `log` and `usage` must outlive this object.
  AccessLog(AccessLogStore& log, SqliteStore& usage, const Clock& clock, AccessLogOptions options = {});
  ~AccessLog() override;
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Edge threads (hot path).
  void record(const edge::AccessRecord& record) noexcept override;
  void unknown_client_id() noexcept override;
  void seen(std::string_view token_id, int version, Time at) noexcept override;

  // Starts the writer thread (prunes once first).
  void start();
  // Stops the writer and writes everything still queued. Later calls do nothing.
  void stop();
  // Writes everything queued so far (records and last seen), now, on this thread.
  void flush();
  // Deletes rows older than the retention (by the clock); returns how many.
  Result<std::int64_t> prune_expired();

  AccessLogStats stats() const;

 private:
  EdgeThreadBuffer* local() noexcept;
  void run();
  void drain_locked();
  bool write_chunk_locked();
  void write_records_locked();
  void write_last_seen_locked();
  void wake_writer() noexcept;
  void hand_over_batch(EdgeThreadBuffer& b) noexcept;

  AccessLogStore& log_;
  SqliteStore& usage_;
  const Clock& clock_;
  const AccessLogOptions options_;
  const std::uint64_t id_;  // tells this instance's buffers apart in the thread-local cache
  const std::size_t high_water_;      // records per hand-over batch
  const std::size_t inbox_capacity_;  // records the inbox may hold before threads keep theirs

  // The edge threads' buffers; the list only grows (a thread registers on first use).
  mutable std::mutex buffers_mutex_;
  std::vector<std::shared_ptr<EdgeThreadBuffer>> buffers_;

  // Batches edge threads handed over (hand_over_batch); lock order: inbox, then a buffer.
  std::mutex inbox_mutex_;
  std::vector<std::vector<edge::AccessRecord>> inbox_;
  std::size_t inbox_records_ = 0;

  // Writer state: held by the writer thread, flush() and prune_expired(); never by the edge.
  std::mutex write_mutex_;
  std::vector<AccessRequest> unwritten_;  // drained, in time order; [written_, end) not yet stored
  std::size_t written_ = 0;
  AccessLogCounters unwritten_counters_;
  std::unordered_map<std::string, std::map<int, Time>> unwritten_seen_;  // token id -> version -> last use
  bool failing_ = false;  // the last write failed (report once, not per retry)

  mutable std::mutex stats_mutex_;
  AccessLogStats stats_;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::atomic<bool> wake_requested_{false};
  std::thread writer_;
};

}  // namespace gatehouse::audit
