#pragma once
// Loads everything the edge needs from the store and builds a snapshot. Decrypted
// keys are kept by kid, so a rebuild after an unrelated change does not pay for RSA
// parsing again. Not thread-safe: one loader, called from one place at a time.
//
// Two ways to a new snapshot: load() reads everything (and folds the token overlay
// into a new base); load_tokens() reads back only the tokens a change touched and
// publishes the last snapshot's config with a new overlay (edge/token_set.hpp).
#include "edge/changed_token.hpp"
#include "edge/snapshot.hpp"
#include "jwt/key_encryption.hpp"
#include "store/store.hpp"

#include <span>
#include <unordered_map>

namespace gatehouse::edge {

class SnapshotLoader {
 public:
  // The overlay is folded into the base (by a full load) once it would hold more than
  // this many entries, or 1 % of the base if that is more: lookups stay two probes and
  // each incremental publish, which copies the overlay, stays cheap.
  static constexpr std::size_t kOverlayMin = 4096;

  // `overlay_min` below kOverlayMin: tests, to reach the fold with few changes.
  SnapshotLoader(Store& store, const MasterKey& master, const Clock& clock, std::size_t overlay_min = kOverlayMin)
      : store_(store), master_(master), clock_(clock), overlay_min_(overlay_min) {}

  Result<std::shared_ptr<const Snapshot>> load();
  // The last snapshot with `changed` read back from the store (created, changed or
  // deleted). Null when that cannot be done incrementally: nothing loaded yet, the
  // overlay is full, or an id is not canonical. Then load() is the way.
  Result<std::shared_ptr<const Snapshot>> load_tokens(std::span<const ChangedToken> changed);
  // Kids of stored keys that did not decrypt in the last load (wrong master key?).
  const std::vector<std::string>& undecryptable() const { return undecryptable_; }

 private:
  Store& store_;
  const MasterKey& master_;
  const Clock& clock_;
  const std::size_t overlay_min_;
  std::uint64_t version_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const SigningKey>> keys_;
  std::vector<std::string> undecryptable_;
  // The last snapshot built: load_tokens() edits a copy of its token overlay.
  std::shared_ptr<const Snapshot> last_;
};

}  // namespace gatehouse::edge
