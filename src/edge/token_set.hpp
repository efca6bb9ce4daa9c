#pragma once
// The edge's service tokens as a snapshot sees them: a big immutable base index (the
// last full load) plus a small immutable overlay of what changed since, so that a
// change to a few tokens publishes a new snapshot in time proportional to the changes
// (and the overlay), not to the million tokens of the base.
//
// The overlay is consulted first: a token in it (created or changed) shadows the
// base's entry, and a deleted one (TokenView::removed) hides it. Lookups stay
// allocation-free. Only canonical ids are ever in the overlay (the loader falls back
// to a full load for any other), so an id that does not parse misses it and is looked
// up in the base alone, as before.
#include "edge/token_index.hpp"

#include <memory>
#include <string_view>

namespace gatehouse::edge {

class TokenSet {
 public:
  TokenSet();  // empty
  explicit TokenSet(std::shared_ptr<const TokenIndex> base);
  // `size`: the number of tokens findable by client id overall.
  TokenSet(std::shared_ptr<const TokenIndex> base, std::shared_ptr<const TokenIndex> overlay, std::size_t size);

  TokenView find_by_client_id(std::string_view client_id) const;
  TokenView find_by_id(std::string_view id) const;
  std::size_t size() const { return size_; }

  const std::shared_ptr<const TokenIndex>& base() const { return base_; }
  const std::shared_ptr<const TokenIndex>& overlay() const { return overlay_; }
  // Entries in the overlay (changed tokens and deletions): what a fold into a new base removes.
  std::size_t overlay_entries() const { return overlay_ ? overlay_->size() : 0; }

 private:
  std::shared_ptr<const TokenIndex> base_;     // never null
  std::shared_ptr<const TokenIndex> overlay_;  // null: no changes since the base
  std::size_t size_ = 0;
};

}  // namespace gatehouse::edge
