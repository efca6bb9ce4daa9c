#pragma once
// The access log's counters in the Prometheus text format (compat.md §3 metrics),
// served at /metrics on the admin listener.
#include "audit/access_log.hpp"

#include <string>

namespace gatehouse::audit {

std::string prometheus_text(const AccessLogStats& stats);

}  // namespace gatehouse::audit
