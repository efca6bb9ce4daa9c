// Benchmark (not a test): a burst of authentications reported to the access log by
// several edge threads at once, as fast as they can, with the writer running.
//
// Reports the edge-side cost of each record() call (what a request pays) and how fast
// the writer stores the burst in SQLite (WAL, synchronous=FULL), and whether anything
// was dropped; twice: into cold buffers, then warm ones. docs/performance.md has figures and how to run it:
//   access_log_burst [--records N] [--threads T] [--dir DIR] [--rows-per-transaction N] [--capacity N]
#include "audit/access_log.hpp"
#include "store/sqlite_access_log.hpp"
#include "store/sqlite_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace gatehouse;
using steady = std::chrono::steady_clock;

namespace {

edge::AccessRecord make_record(int thread, int i, Time at) {
  edge::AccessRecord r;
  r.at = at;
  r.account_id = "5f1e0b2c9d8a7f6e5d4c3b2a19081726";
  r.app_id = "3b241101-e2bb-4255-8caf-4136c566a962";
  r.app_domain = "api.example.com";
  r.service_token_id = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";
  r.service_token_name = "ci-deploy-" + std::to_string(thread);
  r.client_id = "8f14e45fceea167a5a36dedd4bea2543.access";
  r.allowed = i % 10 != 0;
  r.reason = r.allowed ? "allowed" : "bad_secret";
  r.ip_address = "203.0.113." + std::to_string(i % 250);
  r.ray_id = "7d3f" + std::to_string(thread) + "a" + std::to_string(i);
  r.client_secret_version = r.allowed ? 2 : 0;
  return r;
}

double percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  int records = 100'000;
  audit::AccessLogOptions options;
  // The writer's row rate is what is measured: one row per record (the default
  // coalesces allowed decisions alike within a second, docs/logs.md).
  options.coalesce_window = {};
  int threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("gatehouse-bench-" + std::to_string(::getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--records") records = std::atoi(argv[i + 1]);
    else if (flag == "--threads") threads = std::atoi(argv[i + 1]);
    else if (flag == "--dir") dir = argv[i + 1];
    else if (flag == "--rows-per-transaction") options.rows_per_transaction = std::strtoul(argv[i + 1], nullptr, 10);
    else if (flag == "--capacity") options.per_thread_capacity = std::strtoul(argv[i + 1], nullptr, 10);
  }
  if (records < 1 || threads < 1) {
    std::fprintf(stderr, "usage: access_log_burst [--records N] [--threads T] [--dir DIR]\n");
    return 2;
  }
  std::filesystem::create_directories(dir);
  const auto db_path = (dir / "bench.db").string();
  std::filesystem::remove(db_path);
  auto store = SqliteStore::open(db_path);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  auto log_store = SqliteAccessLogStore::open(**store);
  if (!log_store) {
    std::fprintf(stderr, "%s\n", log_store.error().message.c_str());
    return 1;
  }

  SystemClock clock;
  audit::AccessLog log(**log_store, **store, clock, options);
  log.start();

  // Round 1 meets cold buffers (they grow, and their memory is touched for the first
  // time); round 2 is a server that has seen a burst before.
  bool ok = true;
  std::uint64_t stored_before = 0;
  for (int round = 1; round <= 2; ++round) {
    // Records are built before the clock starts: building one is the gate's work, not
    // the log's. What is timed is the record() call alone.
    const int per_thread = (records + threads - 1) / threads;
    std::vector<std::vector<edge::AccessRecord>> prepared(static_cast<std::size_t>(threads));
    const Time now = clock.now();
    for (int t = 0; t < threads; ++t)
      for (int i = 0; i < per_thread && t * per_thread + i < records; ++i)
        prepared[static_cast<std::size_t>(t)].push_back(make_record(t, i, now + std::chrono::microseconds(i)));

    std::vector<std::vector<std::uint32_t>> call_ns(static_cast<std::size_t>(threads));
    std::barrier start_line(threads + 1);
    std::vector<std::thread> edge;
    for (int t = 0; t < threads; ++t)
      edge.emplace_back([&, t] {
        auto& mine = prepared[static_cast<std::size_t>(t)];
        auto& ns = call_ns[static_cast<std::size_t>(t)];
        ns.reserve(mine.size());
        start_line.arrive_and_wait();
        for (auto& r : mine) {
          const auto a = steady::now();
          log.record(std::move(r));
          ns.push_back(static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now() - a).count()));
        }
      });
    start_line.arrive_and_wait();
    const auto burst_start = steady::now();
    for (auto& t : edge) t.join();
    const double edge_seconds = std::chrono::duration<double>(steady::now() - burst_start).count();

    // The writer has the burst once everything is written (or counted as dropped).
    const std::uint64_t target = stored_before + static_cast<std::uint64_t>(records);
    while (true) {
      const auto s = log.stats();
      if (s.written + s.dropped >= target) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const double stored_seconds = std::chrono::duration<double>(steady::now() - burst_start).count();
    const auto stats = log.stats();
    stored_before = stats.written + stats.dropped;

    std::vector<std::uint32_t> all;
    for (auto& v : call_ns) all.insert(all.end(), v.begin(), v.end());
    double sum = 0;
    for (auto v : all) sum += v;
    std::printf("access-log burst %d (%s): %d records from %d edge threads\n", round,
                round == 1 ? "cold buffers" : "warm", records, threads);
    std::printf("  edge: record() per call   mean %.0f ns, p50 %.0f ns, p99 %.0f ns, p99.9 %.0f ns, max %.0f ns\n",
                sum / static_cast<double>(all.size()), percentile(all, 0.50), percentile(all, 0.99),
                percentile(all, 0.999), percentile(all, 1.0));
    std::printf("  edge: burst reported in   %.1f ms (%.0f records/s offered)\n", edge_seconds * 1e3,
                records / edge_seconds);
    std::printf("  writer: all stored after  %.1f ms (%.0f records/s written)\n", stored_seconds * 1e3,
                records / stored_seconds);
    std::printf("  dropped so far %llu\n", static_cast<unsigned long long>(stats.dropped));
    ok = ok && stats.dropped == 0;
  }
  log.stop();
  AccessRequestQuery everything;
  everything.account_id = "5f1e0b2c9d8a7f6e5d4c3b2a19081726";
  const auto rows = (*log_store)->list_access_requests(everything);
  std::printf("rows in the table: %lld (expected %lld)\n", rows ? static_cast<long long>(rows->total_count) : -1LL,
              2LL * records);
  ok = ok && rows && rows->total_count == 2LL * records;
  log_store->reset();
  store->reset();
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
