#include "admin/sessions.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"

#include <algorithm>

namespace gatehouse::admin {

std::string SessionStore::open(const ApiToken& token, Time now, Random& random) {
  std::string id = new_hex(random, 32);
  std::lock_guard lock(mu_);
  make_room(now);
  by_hash_[sha256_hex(id)] = Session{token.id, token.account_id, token.scope, now};
  return id;
}

std::optional<Session> SessionStore::touch(std::string_view id, Time now) {
  // Only ids of the shape we issue are looked up (cheap refusal of junk cookies).
  if (id.size() != 64 || !std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      }))
    return std::nullopt;
  const std::string key = sha256_hex(id);
  std::lock_guard lock(mu_);
  auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  if (now - it->second.last_used >= kIdleTimeout) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second;
}

void SessionStore::close(std::string_view id) {
  const std::string key = sha256_hex(id);
  std::lock_guard lock(mu_);
  by_hash_.erase(key);
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return by_hash_.size();
}

void SessionStore::make_room(Time now) {
  if (by_hash_.size() < kMaxSessions) return;
  std::erase_if(by_hash_, [&](const auto& kv) { return now - kv.second.last_used >= kIdleTimeout; });
  while (by_hash_.size() >= kMaxSessions) {
    auto oldest = std::min_element(by_hash_.begin(), by_hash_.end(), [](const auto& a, const auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    by_hash_.erase(oldest);
  }
}

}  // namespace gatehouse::admin
