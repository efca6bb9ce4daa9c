#pragma once
// Loads everything the edge needs from the store and builds a snapshot. Decrypted
// keys are kept by kid, so a rebuild after an unrelated change does not pay for RSA
// parsing again. Not thread-safe: one loader, called from one place at a time.
#include "edge/snapshot.hpp"
#include "jwt/key_encryption.hpp"
#include "store/store.hpp"

#include <unordered_map>

namespace gatehouse::edge {

class SnapshotLoader {
 public:
  SnapshotLoader(Store& store, const MasterKey& master, const Clock& clock)
      : store_(store), master_(master), clock_(clock) {}

  Result<std::shared_ptr<const Snapshot>> load();
  // Kids of stored keys that did not decrypt in the last load (wrong master key?).
  const std::vector<std::string>& undecryptable() const { return undecryptable_; }

 private:
  Store& store_;
  const MasterKey& master_;
  const Clock& clock_;
  std::uint64_t version_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const SigningKey>> keys_;
  std::vector<std::string> undecryptable_;
};

}  // namespace gatehouse::edge
