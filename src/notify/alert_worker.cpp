#include "notify/alert_worker.hpp"

#include "notify/delivery.hpp"
#include "notify/scheduler.hpp"

#include <iostream>

namespace gatehouse::notify {

namespace {

// After a store error (say, the database is busy), look again soon rather than at
// the next interval.
constexpr auto kErrorRetry = std::chrono::seconds(5);
constexpr auto kMinSleep = std::chrono::milliseconds(5);

}  // namespace

AlertWorker::AlertWorker(Store& store, AlertStore& alerts, AlertTransport& transport, Clock& clock, Random& random,
                         AlertSettings settings, const MasterKey& master)
    : store_(store),
      alerts_(alerts),
      transport_(transport),
      clock_(clock),
      random_(random),
      settings_(settings),
      master_(master) {}

void AlertWorker::start() {
  if (auto released = alerts_.release_claims(); !released)
    std::cerr << "gatehouse: alerts: cannot release outbox claims: " << released.error().message << std::endl;
  else if (*released > 0)
    std::cout << "gatehouse: alerts: " << *released
              << " message(s) were being sent when the last run stopped; sending them again" << std::endl;
  thread_ = std::thread([this] { run(); });
}

void AlertWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void AlertWorker::run_once() {
  scan();
  deliver();
}

void AlertWorker::scan() {
  if (auto scan = scan_expiring_tokens(store_, alerts_, clock_, random_); !scan)
    std::cerr << "gatehouse: alerts: scan failed: " << scan.error().message << std::endl;
  else if (scan->fired > 0)
    std::cout << "gatehouse: alerts: " << scan->fired << " alert(s) fired, " << scan->messages
              << " message(s) queued" << std::endl;
}

bool AlertWorker::deliver() {
  auto sent = deliver_due(alerts_, transport_, clock_, settings_, master_);
  if (!sent) {
    std::cerr << "gatehouse: alerts: delivery failed: " << sent.error().message << std::endl;
    return false;
  }
  if (sent->claimed() > 0)
    std::cout << "gatehouse: alerts: " << sent->delivered << " delivered, " << sent->retried << " to retry, "
              << sent->failed << " failed" << std::endl;
  return true;
}

void AlertWorker::run() {
  using steady = std::chrono::steady_clock;
  auto next_scan = steady::now();
  bool woken = true;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    // A scan at start, every interval, and after a wake (a policy change); a
    // delivery round every time (a message may be due).
    if (woken || steady::now() >= next_scan) {
      next_scan = steady::now() + settings_.interval;
      scan();
    }
    const bool delivered = deliver();
    // Sleep until the next scan or the next due message, whichever comes first (but
    // a little at least, so a store that keeps failing is not hammered).
    auto wake_at = next_scan;
    auto due = alerts_.next_due();
    if (!delivered || !due) {
      wake_at = std::min(wake_at, steady::now() + kErrorRetry);
    } else if (*due) {
      const auto until = std::max(**due - clock_.now(), std::chrono::microseconds(0));
      wake_at = std::min(wake_at, steady::now() + std::chrono::duration_cast<steady::duration>(until));
    }
    wake_at = std::max(wake_at, steady::now() + kMinSleep);
    lock.lock();
    cv_.wait_until(lock, wake_at, [this] { return stopping_ || woken_; });
    woken = woken_;
    woken_ = false;
  }
}

}  // namespace gatehouse::notify
