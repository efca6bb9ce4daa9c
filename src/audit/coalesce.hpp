#pragma once
// Coalescing of allowed decisions in the authentication log (docs/logs.md).
//
// A client calling with a service token authenticates on every request: at thousands
// of requests per second, one row per request would cost the edge more CPU than the
// request itself (SQLite with three indexes) and grow the database by gigabytes a day,
// while saying nothing new. So allowed decisions that differ only in time and ray id
// — same account, app, host, token, client id, secret version, credential, IP and
// reason — within one window (aligned on the clock: [k·window, (k+1)·window)) are
// stored as one row: the first one's time and ray id, `count` = how many decisions.
// Refusals are never merged: each keeps its own row and ray id.
#include "edge/access_log.hpp"
#include "store/access_log_store.hpp"

#include <chrono>
#include <cstddef>
#include <vector>

namespace gatehouse::audit {

// Whether `next` may be counted into `last` as the edge reports it: both allowed, alike
// but for time and ray id, in the same window (`next` is not earlier than `last`).
bool coalescible(const edge::AccessRecord& last, const edge::AccessRecord& next, std::chrono::microseconds window);

// Merges rows[from..] in place (order kept: the first of a group stays where it was).
// A window of zero merges nothing.
void coalesce_allowed(std::vector<AccessRequest>& rows, std::size_t from, std::chrono::microseconds window);

}  // namespace gatehouse::audit
