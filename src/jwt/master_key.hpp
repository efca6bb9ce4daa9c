#pragma once
// Loading the master key at start-up. Start-up code: failures throw std::runtime_error
// with a message for the operator (never containing key material).
#include "core/random.hpp"
#include "jwt/key_encryption.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace gatehouse {

inline constexpr const char* kMasterKeyEnv = "GATEHOUSE_MASTER_KEY";

// 64 hex digits (either case) or unpadded base64url of exactly 32 bytes; surrounding
// whitespace ignored. nullopt for anything else.
std::optional<MasterKey> parse_master_key(std::string_view text);

// If `env_value` is set and non-empty it is the key (a bad one throws). Otherwise the
// key is read from `key_file`, which must be a regular file with no group or other
// permissions (mode 0600 or stricter); if the file does not exist it is created with
// O_CREAT|O_EXCL and mode 0600, holding a new key from `random` as 64 hex digits, and
// synced to disk with its directory.
MasterKey load_master_key(std::optional<std::string_view> env_value, const std::filesystem::path& key_file,
                          Random& random);

// The same, with env_value = getenv(GATEHOUSE_MASTER_KEY).
MasterKey load_master_key(const std::filesystem::path& key_file, Random& random);

}  // namespace gatehouse
