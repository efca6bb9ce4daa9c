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

std::int64_t window_index(Time at, std::chrono::microseconds window) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  std::int64_t index = micros / window.count();
  if (micros < 0 && micros % window.count() != 0) --index;  // floor
  return index;
}

}  // namespace

bool coalescible(const edge::AccessRecord& last, const edge::AccessRecord& next, std::chrono::microseconds window) {
  return window.count() > 0 && last.allowed && next.allowed &&
         window_index(last.at, window) == window_index(next.at, window) &&
         last.client_secret_version == next.client_secret_version && last.via_jwt == next.via_jwt &&
         last.service_token_id == next.service_token_id && last.app_id == next.app_id &&
         last.client_id == next.client_id && last.ip_address == next.ip_address &&
         last.app_domain == next.app_domain && last.reason == next.reason &&
         last.service_token_name == next.service_token_name && last.account_id == next.account_id;
}

void coalesce_allowed(std::vector<AccessRequest>& rows, std::size_t from, std::chrono::microseconds window) {
  if (window.count() <= 0 || rows.size() <= from + 1) return;
  std::unordered_map<std::string, std::size_t> first_of;  // group -> index of its row (after compaction)
  std::string key;
  std::size_t kept = from;
  for (std::size_t i = from; i < rows.size(); ++i) {
    AccessRequest& r = rows[i];
    if (r.allowed) {
      group_key(r, window_index(r.created_at, window), key);
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
