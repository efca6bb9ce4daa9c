#include "edge/token_index.hpp"

#include "core/service_token.hpp"

namespace gatehouse::edge {

namespace {

// Inserts record `at` under `key` unless the key is there already (first wins).
template <class Table, class KeyOf>
bool insert(Table& table, const Key16& key, std::uint32_t at, KeyOf key_of) {
  const std::uint64_t hash = key_hash(key);
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = table.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    auto& slot = table[i];
    if (slot.at_plus_1 == 0) {
      slot.at_plus_1 = at + 1;
      slot.tag = tag;
      return true;
    }
    if (slot.tag == tag && key_of(slot.at_plus_1 - 1) == key) return false;
  }
}

}  // namespace

// ---- TokenView

std::string TokenView::id() const {
  const auto& r = index_->records_[at_];
  if (r.flags & TokenIndex::kTextId) return index_->id_text_.at(at_);
  return format_token_id_key(r.id);
}

std::string TokenView::client_id() const {
  const auto& r = index_->records_[at_];
  if (r.flags & TokenIndex::kTextClientId) return index_->client_id_text_.at(at_);
  return format_client_id_key(r.client_id);
}

std::string_view TokenView::name() const {
  const auto& r = index_->records_[at_];
  return std::string_view(index_->names_).substr(r.name_offset, r.name_size);
}

std::string_view TokenView::account_id() const { return index_->accounts_[index_->records_[at_].account]; }

bool TokenView::enabled() const { return index_->records_[at_].flags & TokenIndex::kEnabled; }

std::optional<Time> TokenView::expires_at() const {
  const auto& r = index_->records_[at_];
  if (!(r.flags & TokenIndex::kHasExpiry)) return std::nullopt;
  return from_micros(r.expires_at_us);
}

// As is_expired() for a ServiceToken.
bool TokenView::expired(Time now) const {
  const auto& r = index_->records_[at_];
  return (r.flags & TokenIndex::kHasExpiry) && r.expires_at_us <= to_micros(now);
}

int TokenView::client_secret_version() const { return index_->records_[at_].secret_version; }

const Digest32* TokenView::secret_hash() const {
  const auto& r = index_->records_[at_];
  return (r.flags & TokenIndex::kHashUsable) ? &r.secret_hash : nullptr;
}

const Digest32* TokenView::previous_secret_hash() const {
  const auto& r = index_->records_[at_];
  if (r.previous == TokenIndex::kNone) return nullptr;
  const auto& p = index_->previous_[r.previous];
  return p.usable ? &p.hash : nullptr;
}

// As previous_secret_in_grace() for a ServiceToken.
bool TokenView::previous_secret_in_grace(Time now) const {
  const auto& r = index_->records_[at_];
  if (r.previous == TokenIndex::kNone) return false;
  const auto& p = index_->previous_[r.previous];
  return p.has_grace && to_micros(now) < p.grace_end_us;
}

bool TokenView::removed() const { return index_->records_[at_].flags & TokenIndex::kRemoved; }

// ---- TokenIndex

std::uint32_t TokenIndex::probe(const Table& table, const Key16& key, bool by_client_id) const {
  const std::uint64_t hash = key_hash(key);
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = table.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot slot = table[i];
    if (slot.at_plus_1 == 0) return kNone;
    if (slot.tag != tag) continue;
    const Record& r = records_[slot.at_plus_1 - 1];
    if ((by_client_id ? r.client_id : r.id) == key) return slot.at_plus_1 - 1;
  }
}

void TokenIndex::fill(std::uint32_t at, const EdgeTokenRow& row, std::uint32_t account) {
  Record& r = records_[at];
  r.flags &= kTextClientId | kTextId;
  r.secret_hash = {};
  if (const auto hash = parse_digest_hex(row.secret_hash)) {
    r.secret_hash = *hash;
    r.flags |= kHashUsable;
  }
  r.previous = kNone;
  if (!row.previous_secret_hash.empty()) {
    Previous p;
    if (const auto hash = parse_digest_hex(row.previous_secret_hash)) {
      p.hash = *hash;
      p.usable = true;
    }
    if (row.previous_client_secret_expires_at) {
      p.has_grace = true;
      p.grace_end_us = to_micros(*row.previous_client_secret_expires_at);
    }
    r.previous = static_cast<std::uint32_t>(previous_.size());
    previous_.push_back(p);
  }
  if (row.enabled) r.flags |= kEnabled;
  r.expires_at_us = 0;
  if (row.expires_at) {
    r.flags |= kHasExpiry;
    r.expires_at_us = to_micros(*row.expires_at);
  }
  r.secret_version = row.client_secret_version;
  r.account = account;
  r.name_offset = static_cast<std::uint32_t>(names_.size());
  r.name_size = static_cast<std::uint32_t>(row.name.size());
  names_ += row.name;
}

TokenView TokenIndex::find_by_client_id(std::string_view client_id) const {
  if (const auto key = parse_client_id_key(client_id)) {
    const auto at = probe(by_client_id_, *key, true);
    return at == kNone ? TokenView() : TokenView(this, at);
  }
  if (text_client_ids_.empty()) return {};
  const auto it = text_client_ids_.find(std::string(client_id));
  return it == text_client_ids_.end() ? TokenView() : TokenView(this, it->second);
}

TokenView TokenIndex::find_by_id(std::string_view id) const {
  if (const auto key = parse_token_id_key(id)) {
    const auto at = probe(by_id_, *key, false);
    return at == kNone ? TokenView() : TokenView(this, at);
  }
  if (text_ids_.empty()) return {};
  const auto it = text_ids_.find(std::string(id));
  return it == text_ids_.end() ? TokenView() : TokenView(this, it->second);
}

// ---- TokenIndexBuilder

TokenIndexBuilder::TokenIndexBuilder() : index_(std::make_shared<TokenIndex>()) {}

void TokenIndexBuilder::expect(std::size_t rows) {
  index_->records_.reserve(rows);
  // Untouched capacity costs address space, not memory: names are usually short.
  index_->names_.reserve(rows * 16);
}

std::uint32_t TokenIndexBuilder::account_number(std::string_view account_id) {
  // Rows come grouped or nearly so, and there are few accounts: remember the last.
  if (last_account_number_ != TokenIndex::kNone && account_id == last_account_) return last_account_number_;
  auto [it, inserted] =
      account_numbers_.try_emplace(std::string(account_id), static_cast<std::uint32_t>(index_->accounts_.size()));
  if (inserted) index_->accounts_.emplace_back(account_id);
  last_account_ = std::string(account_id);
  last_account_number_ = it->second;
  return it->second;
}

void TokenIndexBuilder::row(const EdgeTokenRow& row) {
  TokenIndex& ix = *index_;
  const auto at = static_cast<std::uint32_t>(ix.records_.size());
  TokenIndex::Record& r = ix.records_.emplace_back();
  if (const auto key = parse_client_id_key(row.client_id)) {
    r.client_id = *key;
  } else {
    r.flags |= TokenIndex::kTextClientId;
    ix.client_id_text_.emplace(at, std::string(row.client_id));
  }
  if (const auto key = parse_token_id_key(row.id)) {
    r.id = *key;
  } else {
    r.flags |= TokenIndex::kTextId;
    ix.id_text_.emplace(at, std::string(row.id));
  }
  ix.fill(at, row, account_number(row.account_id));
}

void TokenIndexBuilder::add(const ServiceToken& token) { row(edge_token_row(token)); }

std::shared_ptr<const TokenIndex> TokenIndexBuilder::finish() {
  TokenIndex& ix = *index_;
  // The tables are built once every record is in, at their final size: no rehashing.
  std::size_t capacity = 16;
  while (capacity < 2 * ix.records_.size()) capacity <<= 1;
  ix.by_client_id_.assign(capacity, {});
  ix.by_id_.assign(capacity, {});
  const auto client_id_of = [&](std::uint32_t at) -> const Key16& { return ix.records_[at].client_id; };
  const auto id_of = [&](std::uint32_t at) -> const Key16& { return ix.records_[at].id; };
  for (std::uint32_t at = 0; at < ix.records_.size(); ++at) {
    const auto& r = ix.records_[at];
    const bool added = (r.flags & TokenIndex::kTextClientId)
                           ? ix.text_client_ids_.emplace(ix.client_id_text_.at(at), at).second
                           : insert(ix.by_client_id_, r.client_id, at, client_id_of);
    if (!added) continue;  // a second token with this client id: unreachable, as before
    ++ix.size_;
    if (r.flags & TokenIndex::kTextId) ix.text_ids_.emplace(ix.id_text_.at(at), at);
    else insert(ix.by_id_, r.id, at, id_of);
  }
  auto done = std::move(index_);
  index_ = std::make_shared<TokenIndex>();
  return done;
}

// ---- TokenOverlayEditor
// An entry replaced in place leaves its old name (and previous hash) unused in the
// pools; the overlay is bounded and folded into a new base, so they never pile up.

TokenOverlayEditor::TokenOverlayEditor(const TokenIndex* from)
    : index_(std::make_shared<TokenIndex>(from ? *from : *TokenIndexBuilder().finish())) {}

void TokenOverlayEditor::reserve_one() {
  TokenIndex& ix = *index_;
  if (2 * (ix.records_.size() + 1) <= ix.by_id_.size()) return;
  const std::size_t capacity = 2 * ix.by_id_.size();
  ix.by_client_id_.assign(capacity, {});
  ix.by_id_.assign(capacity, {});
  const auto client_id_of = [&](std::uint32_t at) -> const Key16& { return ix.records_[at].client_id; };
  const auto id_of = [&](std::uint32_t at) -> const Key16& { return ix.records_[at].id; };
  for (std::uint32_t at = 0; at < ix.records_.size(); ++at) {
    insert(ix.by_client_id_, ix.records_[at].client_id, at, client_id_of);
    insert(ix.by_id_, ix.records_[at].id, at, id_of);
  }
}

bool TokenOverlayEditor::add_record(const Key16& id, const Key16& client_id, std::uint32_t& at) {
  TokenIndex& ix = *index_;
  if (ix.probe(ix.by_client_id_, client_id, true) != TokenIndex::kNone) return false;
  reserve_one();
  at = static_cast<std::uint32_t>(ix.records_.size());
  TokenIndex::Record& r = ix.records_.emplace_back();
  r.id = id;
  r.client_id = client_id;
  const auto client_id_of = [&](std::uint32_t i) -> const Key16& { return ix.records_[i].client_id; };
  const auto id_of = [&](std::uint32_t i) -> const Key16& { return ix.records_[i].id; };
  insert(ix.by_client_id_, client_id, at, client_id_of);
  insert(ix.by_id_, id, at, id_of);
  ++ix.size_;
  return true;
}

std::uint32_t TokenOverlayEditor::account_number(std::string_view account_id) {
  auto& accounts = index_->accounts_;  // a handful: a scan beats a map
  for (std::uint32_t i = 0; i < accounts.size(); ++i)
    if (accounts[i] == account_id) return i;
  accounts.emplace_back(account_id);
  return static_cast<std::uint32_t>(accounts.size() - 1);
}

bool TokenOverlayEditor::put(const EdgeTokenRow& row) {
  TokenIndex& ix = *index_;
  const auto id = parse_token_id_key(row.id);
  const auto client_id = parse_client_id_key(row.client_id);
  if (!id || !client_id) return false;
  std::uint32_t at = ix.probe(ix.by_id_, *id, false);
  if (at != TokenIndex::kNone) {
    if (ix.records_[at].client_id != *client_id) return false;
  } else if (!add_record(*id, *client_id, at)) {
    return false;
  }
  ix.fill(at, row, account_number(row.account_id));  // clears kRemoved
  return true;
}

bool TokenOverlayEditor::remove(const Key16& id, const Key16& client_id) {
  TokenIndex& ix = *index_;
  std::uint32_t at = ix.probe(ix.by_id_, id, false);
  if (at != TokenIndex::kNone) {
    if (ix.records_[at].client_id != client_id) return false;
  } else if (!add_record(id, client_id, at)) {
    return false;
  }
  ix.records_[at].flags = TokenIndex::kRemoved;
  return true;
}

}  // namespace gatehouse::edge
