#pragma once
// Dashboard sessions: an HttpOnly cookie stands in for an API token, so that the page
// never holds the token itself. Kept in memory only (a restart signs everyone out,
// which is the safe direction), keyed by the SHA-256 of the session id so that a
// lookup reveals nothing through timing and a memory dump holds no usable id.
#include "core/account.hpp"
#include "core/random.hpp"
#include "core/time.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gatehouse::admin {

struct Session {
  std::string api_token_id;
  std::string account_id;
  Scope scope = Scope::read;
  Time last_used{};
};

class SessionStore {
 public:
  // Idle sessions end after this long; every use moves the deadline.
  static constexpr std::chrono::hours kIdleTimeout{12};
  // A bound on memory: sign-ins beyond it push out the least recently used session.
  static constexpr std::size_t kMaxSessions = 4096;

  // Opens a session for `token`; returns its id (256 random bits as 64 hex digits).
  std::string open(const ApiToken& token, Time now, Random& random);
  // The session `id` names, its idle deadline moved to now + kIdleTimeout; empty when
  // unknown or idle for too long (then it is forgotten).
  std::optional<Session> touch(std::string_view id, Time now);
  void close(std::string_view id);
  std::size_t size() const;

 private:
  void make_room(Time now);  // called with mu_ held

  mutable std::mutex mu_;
  std::unordered_map<std::string, Session> by_hash_;
};

}  // namespace gatehouse::admin
