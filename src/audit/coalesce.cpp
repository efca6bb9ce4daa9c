#include "audit/coalesce.hpp"

#include <string>
#include <unordered_map>

namespace gatehouse::audit {

namespace {

// Everything but the time, the ray id and the count; fields are separated by a byte
// none of them can hold.
void group_key(const AccessRequest& r, std::int64_t window_index, std::string& out) {
  out.clear();
  out.append(std::to_string(window_index)).push_back('\0');
  for (const std::string* s : {&r.account_id, &r.app_id, &r.app_domain, &r.service_token_id,
                               &r.service_token_name, &r.client_id, &r.reason, &r.ip_address}) {
    out.append(*s).push_back('\0');
  }
  out.append(std::to_string(r.client_secret_version)).push_back(r.via_jwt ? 'j' : 's');
}

}  // namespace

void coalesce_allowed(std::vector<AccessRequest>& rows, std::size_t from, std::chrono::microseconds window) {
  if (window.count() <= 0 || rows.size() <= from + 1) return;
  std::unordered_map<std::string, std::size_t> first_of;  // group -> index of its row (after compaction)
  std::string key;
  std::size_t kept = from;
  for (std::size_t i = from; i < rows.size(); ++i) {
    AccessRequest& r = rows[i];
    if (r.allowed) {
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(r.created_at.time_since_epoch());
      std::int64_t index = micros.count() / window.count();
      if (micros.count() < 0 && micros.count() % window.count() != 0) --index;  // floor
      group_key(r, index, key);
      const auto [it, inserted] = first_of.try_emplace(key, kept);
      if (!inserted) {
        rows[it->second].count += r.count;
        continue;
      }
    }
    if (kept != i) rows[kept] = std::move(r);
    ++kept;
  }
  rows.resize(kept);
}

}  // namespace gatehouse::audit
