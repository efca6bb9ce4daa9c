#pragma once
// An Access application (compat.md §1.3) and the Gatehouse extension fields (§3).
#include "core/duration.hpp"
#include "core/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gatehouse {

enum class SameSite { none, lax, strict };

// A reusable policy attached to an app, with the app-specific precedence.
struct PolicyLink {
  std::string policy_id;
  int precedence = 1;
  friend bool operator==(const PolicyLink&, const PolicyLink&) = default;
};

struct OriginTimeouts {
  std::chrono::milliseconds connect{5'000};
  std::chrono::milliseconds response_header{30'000};  // time to the origin's response head
  std::chrono::milliseconds idle{60'000};             // no bytes either way
  friend bool operator==(const OriginTimeouts&, const OriginTimeouts&) = default;
};

struct App {
  std::string id;  // UUID
  std::string account_id;
  std::string name;
  std::string type = "self_hosted";  // or "warp"
  std::string domain;                // host (optionally "*.") + optional path prefix
  std::vector<std::string> destinations;  // further host/path entries (public destinations)
  Duration session_duration{"24h", std::chrono::hours(24)};
  std::vector<PolicyLink> policies;  // reusable and app-scoped policies, by id
  std::string read_service_tokens_from_header;  // empty = off
  bool service_auth_401_redirect = false;
  bool http_only_cookie_attribute = true;
  std::optional<SameSite> same_site_cookie_attribute;  // empty = not set by the API: SameSite=None
  bool path_cookie_attribute = false;
  std::string custom_deny_message;
  std::string cors_headers_json;  // stored as given (object), "" = none
  bool options_preflight_bypass = false;
  // Gatehouse extension: match the domain's path prefix with ASCII case (default:
  // without, the safe choice for case-insensitive origins; docs/edge.md "Paths").
  bool path_case_sensitive = false;
  std::string origin;  // upstream URL, e.g. http://127.0.0.1:3000
  OriginTimeouts origin_timeout;
  std::string aud;  // 64 hex, random, stable for the app's life
  // Set by POST …/revoke_tokens: the edge refuses JWTs for this app issued (iat)
  // before this instant. Empty = never revoked.
  std::optional<Time> tokens_revoked_before;
  Time created_at{};
  Time updated_at{};
  friend bool operator==(const App&, const App&) = default;
};

struct InactivitySetting {
  bool enabled = false;
  int threshold_days = 90;  // 30..365
  std::string action = "disable";  // or "delete"
  friend bool operator==(const InactivitySetting&, const InactivitySetting&) = default;
};

struct Organization {
  std::string account_id;
  std::string name;
  std::string auth_domain;  // team domain; JWT iss = "https://" + auth_domain
  Duration session_duration{"24h", std::chrono::hours(24)};
  bool strict_service_token_auth = false;
  InactivitySetting service_token_inactivity;
  int key_rotation_interval_days = 42;
  std::optional<Time> last_key_rotation_at;
  Time created_at{};
  Time updated_at{};
  friend bool operator==(const Organization&, const Organization&) = default;
};

// An RS256 signing key as stored (jwt/rsa_key.hpp has the live SigningKey). The private key is stored only encrypted (AES-256-GCM under
// the master key); `retired_at` is set when a newer key takes over: it then stays in
// the JWKS (for verification) for 7 days.
struct StoredSigningKey {
  std::string kid;  // 64 hex
  std::string account_id;
  std::string private_key_encrypted;
  std::string public_key_pem;
  std::string certificate_pem;
  Time created_at{};
  std::optional<Time> retired_at;
  friend bool operator==(const StoredSigningKey&, const StoredSigningKey&) = default;
};

}  // namespace gatehouse
