#pragma once
// AccessLogStore on the shared SQLite database: component "access_log"
// (store/sqlite_component.hpp) with the table access_requests and its counters, using
// the SqliteStore's connection under its mutex.
#include "store/access_log_store.hpp"
#include "store/sqlite_store.hpp"

#include <memory>

namespace gatehouse {

class SqliteAccessLogStore final : public AccessLogStore {
 public:
  // Migrates the access-log tables of `core`'s database; `core` must outlive the result.
  static Result<std::unique_ptr<SqliteAccessLogStore>> open(SqliteStore& core);

  Result<void> insert_access_requests(std::span<const AccessRequest> rows, const AccessLogCounters& add) override;
  Result<PageOf<AccessRequest>> list_access_requests(const AccessRequestQuery& q) override;
  Result<std::int64_t> prune_access_requests(Time cutoff, int limit) override;
  Result<AccessLogCounters> access_log_counters() override;

 private:
  explicit SqliteAccessLogStore(SqliteStore& core) : core_(core) {}
  SqliteStore& core_;
};

// The counters without migrating (for `gatehouse status` on a data dir): zeros when
// the server has never run with the access log.
Result<AccessLogCounters> read_access_log_counters(SqliteStore& core);

}  // namespace gatehouse
