#include "audit/access_log.hpp"

#include "audit/access_log_json.hpp"
#include "audit/coalesce.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <queue>
#include <utility>

namespace gatehouse::audit {

namespace {

std::atomic<std::uint64_t> next_instance_id{1};

constexpr int kPruneChunk = 5000;
// Rows kept for retry while the store fails, in units of one thread's buffer.
constexpr std::size_t kBacklogBuffers = 4;
// Transactions written before the writer looks at last seen and pruning again.
constexpr int kMaxChunksPerRound = 100;
// A thread passes its records to the writer's inbox in batches of this many.
constexpr std::size_t kHandOverRecords = 4096;
// An emptied batch is handed back to its edge thread for reuse unless it grew beyond
// this (records): after a burst, its memory is released instead of kept.
constexpr std::size_t kKeptCapacity = 16384;

bool earlier(const AccessRequest& a, const AccessRequest& b) { return a.created_at < b.created_at; }

}  // namespace

AccessLog::AccessLog(AccessLogStore& log, SqliteStore& usage, const Clock& clock, AccessLogOptions options)
    : log_(log),
      usage_(usage),
      clock_(clock),
      options_(std::move(options)),
      id_(next_instance_id.fetch_add(1)),
      high_water_(std::max<std::size_t>(1, std::min(kHandOverRecords, options_.per_thread_capacity / 4))),
      inbox_capacity_(kBacklogBuffers * options_.per_thread_capacity) {}

AccessLog::~AccessLog() { stop(); }

// The calling thread's buffer for this log, registered on first use. The cache is
// per thread and holds a reference, so the buffer outlives whichever goes first.
EdgeThreadBuffer* AccessLog::local() noexcept {
  struct Entry {
    std::uint64_t owner;
    std::shared_ptr<EdgeThreadBuffer> buffer;
  };
  thread_local std::vector<Entry> cache;  // one entry per AccessLog this thread reported to
  for (const auto& e : cache)
    if (e.owner == id_) return e.buffer.get();
  try {
    auto buffer = std::make_shared<EdgeThreadBuffer>();
    {
      std::lock_guard lock(buffers_mutex_);
      buffers_.push_back(buffer);
    }
    // Logs come and go only in tests; keep the cache small (an evicted buffer stays
    // registered with its log and is still drained).
    if (cache.size() >= 8) cache.erase(cache.begin());
    cache.push_back({id_, buffer});
    return buffer.get();
  } catch (...) {
    return nullptr;
  }
}

void AccessLog::record(const edge::AccessRecord& record) noexcept {
  EdgeThreadBuffer* b = local();
  if (b == nullptr) {
    std::lock_guard lock(stats_mutex_);  // only when memory ran out registering: not the hot path
    ++stats_.dropped;
    return;
  }
  bool hand_over = false;
  {
    std::lock_guard lock(b->mutex);
    // The common case under load: the same client again within the window. Counted
    // into the record queued last, nothing copied (audit/coalesce.hpp).
    if (!b->records.empty() && coalescible(b->records.back(), record, options_.coalesce_window)) {
      b->records.back().count += record.count;
      return;
    }
    if (b->records.size() >= options_.per_thread_capacity) {
      ++b->dropped;
      return;
    }
    try {
      b->records.push_back(record);
    } catch (...) {
      ++b->dropped;
      return;
    }
    hand_over = b->records.size() % high_water_ == 0;
  }
  if (hand_over) hand_over_batch(*b);
}

// Every high_water_ records, the thread passes its batch to the writer's inbox itself:
// the writer may be inside a long transaction and not drain for a while, and a burst
// must then wait in the inbox, not fill this buffer. One short lock per batch (the
// inbox is shared by the edge threads, taken once per thousands of records); when the
// inbox is full the records stay here, up to per_thread_capacity.
void AccessLog::hand_over_batch(EdgeThreadBuffer& b) noexcept {
  {
    std::lock_guard inbox(inbox_mutex_);
    if (inbox_records_ < inbox_capacity_) {
      std::vector<edge::AccessRecord> batch;
      {
        std::lock_guard lock(b.mutex);
        batch.swap(b.records);
        b.records.swap(b.spare);
      }
      try {
        inbox_.push_back(std::move(batch));
        inbox_records_ += inbox_.back().size();
      } catch (...) {
        // No room for one more entry: give the records back rather than lose them.
        std::lock_guard lock(b.mutex);
        for (auto& r : batch) {
          if (b.records.size() >= options_.per_thread_capacity) {
            ++b.dropped;
            continue;
          }
          try {
            b.records.push_back(std::move(r));
          } catch (...) {
            ++b.dropped;
          }
        }
      }
    }
  }
  wake_writer();
}

void AccessLog::unknown_client_id() noexcept {
  EdgeThreadBuffer* b = local();
  if (b == nullptr) return;
  std::lock_guard lock(b->mutex);
  ++b->unknown_client_ids;
}

void AccessLog::seen(std::string_view token_id, int version, Time at) noexcept {
  EdgeThreadBuffer* b = local();
  if (b == nullptr) return;
  std::lock_guard lock(b->mutex);
  try {
    auto it = b->seen.find(token_id);
    if (it == b->seen.end()) it = b->seen.emplace(std::string(token_id), SeenVersions{}).first;
    it->second.note(version, at);
  } catch (...) {
    // Out of memory: this use is not recorded; the next one will be.
  }
}

// Without the mutex: a notification that races the writer's predicate check is lost,
// and the writer then wakes on its interval instead. Never blocks the edge.
void AccessLog::wake_writer() noexcept {
  if (!wake_requested_.exchange(true)) wake_.notify_one();
}

void AccessLog::start() {
  writer_ = std::thread([this] { run(); });
}

void AccessLog::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    if (stopped_) return;  // the first stop wrote everything; the store may be gone since
    stopped_ = stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();  // the writer flushes on its way out
  else flush();
}

void AccessLog::run() {
  if (auto pruned = prune_expired(); !pruned)
    std::cerr << "gatehouse: access log: pruning failed: " << pruned.error().message << std::endl;
  using steady = std::chrono::steady_clock;
  auto next_seen = steady::now() + options_.last_seen_interval;
  auto next_prune = steady::now() + options_.prune_interval;
  for (;;) {
    {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, options_.write_interval, [this] { return stopping_ || wake_requested_.load(); });
      if (stopping_) break;
    }
    wake_requested_.store(false);
    const auto now = steady::now();
    {
      std::lock_guard lock(write_mutex_);
      write_records_locked();
      if (now >= next_seen) {
        write_last_seen_locked();
        next_seen = now + options_.last_seen_interval;
      }
    }
    if (now >= next_prune) {
      if (auto pruned = prune_expired(); !pruned)
        std::cerr << "gatehouse: access log: pruning failed: " << pruned.error().message << std::endl;
      next_prune = now + options_.prune_interval;
    }
  }
  flush();
}

void AccessLog::flush() {
  std::lock_guard lock(write_mutex_);
  write_records_locked();
  write_last_seen_locked();
}

namespace {

// Appends `runs` (each in time order) to `out` in time order: a k-way merge, so each
// row is moved once however many threads reported.
void merge_runs(std::vector<std::vector<AccessRequest>>& runs, std::vector<AccessRequest>& out) {
  using Cursor = std::pair<std::size_t, std::size_t>;  // run, position
  auto later = [&](const Cursor& a, const Cursor& b) {
    const auto& x = runs[a.first][a.second];
    const auto& y = runs[b.first][b.second];
    return y.created_at < x.created_at || (y.created_at == x.created_at && b.first < a.first);
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> next(later);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (!runs[i].empty()) next.push({i, 0});
  while (!next.empty()) {
    auto [run, pos] = next.top();
    next.pop();
    out.push_back(std::move(runs[run][pos]));
    if (pos + 1 < runs[run].size()) next.push({run, pos + 1});
  }
}

}  // namespace

// Moves what the edge threads queued to the end of unwritten_ (and the mirror).
void AccessLog::drain_locked() {
  std::vector<std::shared_ptr<EdgeThreadBuffer>> buffers;
  {
    std::lock_guard lock(buffers_mutex_);
    buffers = buffers_;
  }
  std::uint64_t dropped = 0, unknown = 0;
  // Threads report independently: store (and mirror) what they queued in time order.
  // Each batch of one thread is (nearly always) in order already: a run to merge.
  std::vector<std::vector<AccessRequest>> runs;
  auto add_run = [&](std::vector<edge::AccessRecord>& records) {
    if (records.empty()) return;
    auto& run = runs.emplace_back();
    run.reserve(records.size());
    for (auto& r : records) run.push_back(to_row(std::move(r)));
    records.clear();
    if (!std::is_sorted(run.begin(), run.end(), earlier)) std::stable_sort(run.begin(), run.end(), earlier);
  };
  std::vector<std::vector<edge::AccessRecord>> handed_over;
  {
    std::lock_guard lock(inbox_mutex_);
    handed_over.swap(inbox_);
    inbox_records_ = 0;
  }
  for (auto& batch : handed_over) add_run(batch);
  std::vector<edge::AccessRecord> taken;
  for (const auto& b : buffers) {
    {
      std::lock_guard lock(b->mutex);
      taken.swap(b->records);
      b->records.swap(b->spare);  // the edge continues into the previous batch's capacity
      dropped += std::exchange(b->dropped, 0);
      unknown += std::exchange(b->unknown_client_ids, 0);
    }
    add_run(taken);
    if (taken.capacity() > kKeptCapacity) taken = {};  // a burst's memory goes back after it
    {
      std::lock_guard lock(b->mutex);
      b->spare.swap(taken);  // `taken` is now the empty vector handed to the edge last time
    }
  }
  const std::size_t first_new = unwritten_.size();
  merge_runs(runs, unwritten_);
  coalesce_allowed(unwritten_, first_new, options_.coalesce_window);
  if (options_.mirror && unwritten_.size() > first_new) {
    std::string lines;
    for (std::size_t i = first_new; i < unwritten_.size(); ++i) {
      auto o = to_json(unwritten_[i]);
      o["account_id"] = unwritten_[i].account_id;
      lines += boost::json::serialize(o);
      lines += '\n';
    }
    options_.mirror(lines);
  }
  unwritten_counters_.dropped += static_cast<std::int64_t>(dropped);
  unwritten_counters_.unknown_client_ids += static_cast<std::int64_t>(unknown);
  std::lock_guard lock(stats_mutex_);
  stats_.dropped += dropped;
  stats_.unknown_client_ids += unknown;
}

// Writes one transaction of at most rows_per_transaction rows from unwritten_[written_]
// on (with the counters); false when the store failed (the rows stay for the next try).
bool AccessLog::write_chunk_locked() {
  const std::size_t n = std::min(options_.rows_per_transaction, unwritten_.size() - written_);
  const std::span<const AccessRequest> chunk(unwritten_.data() + written_, n);
  if (auto r = log_.insert_access_requests(chunk, unwritten_counters_); !r) {
    if (!failing_)
      std::cerr << "gatehouse: access log: cannot write " << (unwritten_.size() - written_)
                << " record(s), will retry: " << r.error().message << std::endl;
    failing_ = true;
    std::lock_guard lock(stats_mutex_);
    ++stats_.write_errors;
    return false;
  }
  if (failing_) std::cerr << "gatehouse: access log: writing again" << std::endl;
  failing_ = false;
  unwritten_counters_ = {};
  written_ += n;
  std::map<std::pair<std::string, bool>, std::uint64_t> by_app;
  for (const auto& row : chunk) by_app[{row.app_id, row.allowed}] += static_cast<std::uint64_t>(row.count);
  std::lock_guard lock(stats_mutex_);
  stats_.written += n;
  for (auto& [key, count] : by_app) stats_.by_app[key] += count;
  return true;
}

void AccessLog::write_records_locked() {
  drain_locked();
  // During a burst, drain again after every transaction: records wait here rather than
  // in the edge's buffers. Bounded, so that last-seen times and pruning still get their
  // turn under sustained load.
  for (int round = 0; round < kMaxChunksPerRound; ++round) {
    const bool pending = written_ < unwritten_.size() || unwritten_counters_.dropped ||
                         unwritten_counters_.unknown_client_ids;
    if (!pending || !write_chunk_locked()) break;
    drain_locked();
  }
  // Written rows leave once per round (not per transaction: that would move the rest
  // every time). While the store fails, the backlog is bounded: the oldest rows go.
  const std::size_t cap = kBacklogBuffers * options_.per_thread_capacity;
  std::size_t excess = unwritten_.size() - written_ > cap ? unwritten_.size() - written_ - cap : 0;
  unwritten_.erase(unwritten_.begin(), unwritten_.begin() + static_cast<std::ptrdiff_t>(written_ + excess));
  written_ = 0;
  if (excess > 0) {
    unwritten_counters_.dropped += static_cast<std::int64_t>(excess);
    std::lock_guard lock(stats_mutex_);
    stats_.dropped += excess;
  }
}

void AccessLog::write_last_seen_locked() {
  std::vector<std::shared_ptr<EdgeThreadBuffer>> buffers;
  {
    std::lock_guard lock(buffers_mutex_);
    buffers = buffers_;
  }
  for (const auto& b : buffers) {
    SeenMap taken;
    {
      std::lock_guard lock(b->mutex);
      taken.swap(b->seen);
    }
    for (auto& [token, versions] : taken) {
      auto& merged = unwritten_seen_[token];
      for (const auto& [version, at] : versions.latest) {
        auto [it, inserted] = merged.emplace(version, at);
        if (!inserted && at > it->second) it->second = at;
      }
    }
  }
  if (unwritten_seen_.empty()) return;
  std::vector<TokenUse> uses;
  for (const auto& [token, versions] : unwritten_seen_)
    for (const auto& [version, at] : versions) uses.push_back({token, version, at});
  if (auto r = record_token_usage(usage_, uses); !r) {
    std::cerr << "gatehouse: last seen: cannot write " << unwritten_seen_.size()
              << " token(s), will retry: " << r.error().message << std::endl;
    return;
  }
  unwritten_seen_.clear();
}

Result<std::int64_t> AccessLog::prune_expired() {
  const Time cutoff = clock_.now() - options_.retention;
  std::int64_t total = 0;
  for (;;) {
    auto n = log_.prune_access_requests(cutoff, kPruneChunk);
    if (!n) return n.error();
    total += *n;
    if (*n < kPruneChunk) return total;
  }
}

AccessLogStats AccessLog::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

}  // namespace gatehouse::audit
