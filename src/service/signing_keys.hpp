#pragma once
// The lifecycle of each account's RS256 signing keys (compat.md §1.4): generated on
// first start, encrypted at rest under the master key, rotated by API/CLI or every
// key_rotation_interval_days, and published in the JWKS until 7 days after rotation.
#include "core/app.hpp"
#include "jwt/master_key.hpp"
#include "jwt/rsa_key.hpp"
#include "service/services.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace gatehouse {

struct KeyStatus {
  int key_rotation_interval_days = 42;
  std::optional<Time> last_key_rotation_at;
  int days_until_next_rotation = 0;
};

// Creates the account's first key if it has no usable one. Returns true if it did.
Result<bool> ensure_signing_key(Services& s, const MasterKey& master, const Organization& org);

// New current key; the previous one is retired (published 7 more days). Records the
// instant in the organization's last_key_rotation_at.
Result<KeyStatus> rotate_signing_key(Services& s, const MasterKey& master, const Actor& actor,
                                     const Organization& org);

// For the background worker: rotates every account whose interval has passed and
// deletes keys retired 7 days ago or more. Returns how many keys were rotated.
Result<int> rotate_due_keys(Services& s, const MasterKey& master);

KeyStatus key_status(const Organization& org, Time now);

// Decrypts a stored key; nullptr when it does not decrypt (wrong master key or
// tampering), which the caller reports once at start-up.
std::shared_ptr<const SigningKey> decrypt_signing_key(const StoredSigningKey& stored, const MasterKey& master);

}  // namespace gatehouse
