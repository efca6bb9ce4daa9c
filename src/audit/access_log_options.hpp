#pragma once
// Settings of the authentication log and last-seen writer ([logs] in the config file,
// GATEHOUSE_LOG_*; docs/logs.md).
#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

namespace gatehouse::audit {

struct AccessLogOptions {
  // Rows older than this are deleted (checked at start and every prune_interval).
  std::chrono::microseconds retention = std::chrono::hours(24 * 30);
  // Mirror every record as one JSON line (docs/logs.md). Called on the writer thread
  // with whole lines; empty = no mirror. serve passes a writer to stdout.
  std::function<void(std::string_view lines)> mirror;
  // How often the writer drains the edge threads' buffers (it is also woken early
  // when a buffer is a quarter full).
  std::chrono::milliseconds write_interval{200};
  // How often last-seen times are written (and at stop, and on flush()).
  std::chrono::milliseconds last_seen_interval{5000};
  std::chrono::milliseconds prune_interval = std::chrono::hours(1);
  // Records one edge thread may have queued; beyond it they are dropped and counted.
  std::size_t per_thread_capacity = 1 << 16;
  // Allowed decisions identical but for time and ray id are stored as one row with a
  // count within windows of this length (audit/coalesce.hpp); zero = one row each.
  std::chrono::microseconds coalesce_window = std::chrono::seconds(1);
  // Rows per transaction: bounds how long the shared database lock is held.
  std::size_t rows_per_transaction = 2000;
};

}  // namespace gatehouse::audit
