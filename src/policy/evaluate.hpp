#pragma once
// Policy evaluation (compat.md §1.3), a pure function of the app's ordered policies,
// who is asking and from where.
//
// Order: Bypass and Service Auth (non_identity) policies first, by precedence; then
// Allow and Block (deny) by precedence, the first match ending it; default deny.
// A service token is an identity only for Service Auth policies, as in Cloudflare
// Access: Allow policies need a user identity (an identity provider login).
#include "core/policy.hpp"
#include "policy/ip.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse {

struct Identity {
  std::string_view service_token_id;  // empty: no service token
  std::string_view email;             // empty: no user (no identity provider yet)
  std::string_view common_name;       // mTLS certificate CN, empty without one
  bool is_service_token() const { return !service_token_id.empty(); }
  bool is_user() const { return !email.empty(); }
};

struct PolicyOutcome {
  enum class Effect { allow, bypass, deny, login_required };
  Effect effect = Effect::deny;
  std::string_view reason;  // stable slug: "policy_denied", "login_required", …
  const Policy* policy = nullptr;  // the policy that decided, if any
};

// `ordered` are the app's policies sorted by precedence (lowest first). `from` is
// the client's address, when known.
PolicyOutcome evaluate(std::span<const Policy* const> ordered, const Identity& who,
                       const std::optional<IpAddress>& from);

bool rule_matches(const Rule& rule, const Identity& who, const std::optional<IpAddress>& from);

}  // namespace gatehouse
