#include "edge/token_set.hpp"

namespace gatehouse::edge {

TokenSet::TokenSet() : TokenSet(TokenIndexBuilder().finish()) {}

TokenSet::TokenSet(std::shared_ptr<const TokenIndex> base) : base_(std::move(base)), size_(base_->size()) {}

TokenSet::TokenSet(std::shared_ptr<const TokenIndex> base, std::shared_ptr<const TokenIndex> overlay,
                   std::size_t size)
    : base_(std::move(base)), overlay_(std::move(overlay)), size_(size) {}

TokenView TokenSet::find_by_client_id(std::string_view client_id) const {
  if (overlay_) {
    if (const TokenView v = overlay_->find_by_client_id(client_id)) return v.removed() ? TokenView() : v;
  }
  return base_->find_by_client_id(client_id);
}

TokenView TokenSet::find_by_id(std::string_view id) const {
  if (overlay_) {
    if (const TokenView v = overlay_->find_by_id(id)) return v.removed() ? TokenView() : v;
  }
  return base_->find_by_id(id);
}

}  // namespace gatehouse::edge
