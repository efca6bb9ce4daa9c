#pragma once
// The alert worker of `serve`: one thread that scans for expiring tokens at start and
// every `interval`, and delivers the outbox whenever a message is due. wake() (after
// a policy change or a send-test action) makes it run at once. It never runs on the
// admin or edge threads; libcurl calls are bounded by the settings' timeouts.
#include "core/random.hpp"
#include "core/time.hpp"
#include "jwt/key_encryption.hpp"
#include "notify/settings.hpp"
#include "notify/transport.hpp"
#include "store/alert_store.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace gatehouse::notify {

class AlertWorker {
 public:
  // `master` opens the webhook secrets (notify/delivery.hpp); it must outlive the worker.
  AlertWorker(Store& store, AlertStore& alerts, AlertTransport& transport, Clock& clock, Random& random,
              AlertSettings settings, const MasterKey& master);
  ~AlertWorker() { stop(); }
  AlertWorker(const AlertWorker&) = delete;
  AlertWorker& operator=(const AlertWorker&) = delete;

  // Releases the claims a previous process left (a crash mid-send) and starts the thread.
  void start();
  // Wakes the thread and joins it; a send in progress finishes first (bounded by its timeouts).
  void stop();
  void wake();

  // One round: scan, then deliver what is due. Public for tests; the thread calls it.
  void run_once();

 private:
  void run();
  void scan();
  bool deliver();  // false after a store error

  Store& store_;
  AlertStore& alerts_;
  AlertTransport& transport_;
  Clock& clock_;
  Random& random_;
  AlertSettings settings_;
  const MasterKey& master_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace gatehouse::notify
