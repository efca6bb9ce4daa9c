#pragma once
// The edge's service tokens in compact form: per token only what a decision, the
// access log and the expiry warning need, with the fixed-format values in binary
// (client id and token id 16 bytes, secret hashes 32) and the names in one string
// pool. Two open-addressing tables (record numbers, 4 bytes a slot) find a token by
// client id or by id without allocating. With a million tokens this is ~100 bytes
// a token instead of ~700 for ServiceToken objects in two std::unordered_maps, and
// it loads in a fraction of the time (docs/performance.md, scenario 6).
//
// A stored id or client id that is not in canonical form (this version never writes
// one, but the store's columns are plain TEXT) is kept as text on the side and found
// by exact match, as before: no token is dropped.
//
// Immutable once built; a snapshot holds it by shared_ptr on its own, so a change to
// tokens alone can swap it without rebuilding apps and keys.
#include "core/time.hpp"
#include "edge/token_keys.hpp"
#include "store/edge_token_row.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gatehouse {
struct ServiceToken;
}

namespace gatehouse::edge {

class TokenIndex;

// One token of an index, or none (false). Cheap to copy; valid while its index is.
class TokenView {
 public:
  TokenView() = default;
  explicit operator bool() const { return index_ != nullptr; }

  std::string id() const;
  std::string client_id() const;
  std::string_view name() const;
  std::string_view account_id() const;
  bool enabled() const;
  std::optional<Time> expires_at() const;
  bool expired(Time now) const;
  int client_secret_version() const;

  // For the secret check (edge/token_secret.hpp). Null: no such hash, or a stored
  // value that is not SHA-256 hex and so can match no secret.
  const Digest32* secret_hash() const;
  const Digest32* previous_secret_hash() const;
  bool previous_secret_in_grace(Time now) const;

  // A deletion recorded in an overlay (TokenOverlayEditor): the token is gone, and the
  // base's entry must not be consulted. Never true in an index built from rows.
  bool removed() const;

 private:
  friend class TokenIndex;
  TokenView(const TokenIndex* index, std::uint32_t at) : index_(index), at_(at) {}
  const TokenIndex* index_ = nullptr;
  std::uint32_t at_ = 0;
};

class TokenIndex {
 public:
  TokenView find_by_client_id(std::string_view client_id) const;
  TokenView find_by_id(std::string_view id) const;
  std::size_t size() const { return size_; }

 private:
  friend class TokenView;
  friend class TokenIndexBuilder;
  friend class TokenOverlayEditor;

  static constexpr std::uint32_t kNone = UINT32_MAX;
  enum Flag : std::uint8_t {
    kEnabled = 1,
    kHasExpiry = 2,
    kHashUsable = 4,    // secret_hash decoded from SHA-256 hex
    kTextClientId = 8,  // client id not canonical: see text_client_ids_
    kTextId = 16,       // id not canonical: see text_ids_
    kRemoved = 32,      // overlay only: a deleted token (TokenView::removed)
  };
  struct Record {
    Key16 client_id{};
    Key16 id{};
    Digest32 secret_hash{};
    std::int64_t expires_at_us = 0;  // if kHasExpiry
    std::uint32_t name_offset = 0;   // into names_
    std::uint32_t name_size = 0;
    std::uint32_t previous = kNone;  // into previous_
    std::int32_t secret_version = 0;
    std::uint32_t account = 0;       // into accounts_
    std::uint8_t flags = 0;
  };
  // Rare (only during a rotation's grace period), so not in every record.
  struct Previous {
    Digest32 hash{};
    std::int64_t grace_end_us = 0;
    bool usable = false;     // decoded from SHA-256 hex
    bool has_grace = false;  // previous_client_secret_expires_at set
  };
  // Open addressing, linear probing: record number + 1 (0 = empty) and the high half of
  // the key's hash, so a probe that passes other keys rarely touches their records
  // (a cache miss each with a million tokens). Power-of-two size, at most half full.
  struct Slot {
    std::uint32_t at_plus_1 = 0;
    std::uint32_t tag = 0;
  };
  using Table = std::vector<Slot>;

  std::uint32_t probe(const Table& table, const Key16& key, bool by_client_id) const;
  // Sets record `at`'s values (all but its keys and text-key flags) from `row`.
  void fill(std::uint32_t at, const EdgeTokenRow& row, std::uint32_t account);

  std::vector<Record> records_;
  std::vector<Previous> previous_;
  std::string names_;
  std::vector<std::string> accounts_;
  Table by_client_id_;
  Table by_id_;
  std::size_t size_ = 0;  // tokens findable by client id
  // Non-canonical ids, by exact text (normally empty).
  std::unordered_map<std::string, std::uint32_t> text_client_ids_;
  std::unordered_map<std::string, std::uint32_t> text_ids_;
  std::unordered_map<std::uint32_t, std::string> client_id_text_;
  std::unordered_map<std::uint32_t, std::string> id_text_;
};

// Builds an index from the store's lean rows (Store::scan_edge_tokens) or from full
// tokens. A client id (or id) seen twice keeps its first token, as the maps did.
class TokenIndexBuilder final : public EdgeTokenVisitor {
 public:
  TokenIndexBuilder();
  void expect(std::size_t rows) override;
  void row(const EdgeTokenRow& row) override;
  void add(const ServiceToken& token);
  std::shared_ptr<const TokenIndex> finish();

 private:
  std::uint32_t account_number(std::string_view account_id);

  std::shared_ptr<TokenIndex> index_;
  std::unordered_map<std::string, std::uint32_t> account_numbers_;
  std::string last_account_;
  std::uint32_t last_account_number_ = TokenIndex::kNone;
};

// Edits a copy of a small index, the overlay of edge/token_set.hpp, one token at a time:
// after the copy (a memcpy of its arrays, no parsing or hashing), each change costs
// O(1), so publishing a few changed tokens does not rebuild the whole overlay. Only
// canonical ids. The copy is private until finish(): published indexes never change.
class TokenOverlayEditor {
 public:
  explicit TokenOverlayEditor(const TokenIndex* from);  // null: start empty

  // Adds the token or replaces the overlay's entry with its id. False (the copy is
  // then unusable: discard the editor) when an id is not canonical or the client id
  // is already another entry's or differs from this id's entry.
  bool put(const EdgeTokenRow& row);
  // Records the deletion of the token with this id and client id.
  bool remove(const Key16& id, const Key16& client_id);

  const TokenIndex& index() const { return *index_; }  // as edited so far
  std::shared_ptr<const TokenIndex> finish() { return std::move(index_); }

 private:
  // Room for one more record with the tables at most half full.
  void reserve_one();
  bool add_record(const Key16& id, const Key16& client_id, std::uint32_t& at);
  std::uint32_t account_number(std::string_view account_id);

  std::shared_ptr<TokenIndex> index_;
};

}  // namespace gatehouse::edge
