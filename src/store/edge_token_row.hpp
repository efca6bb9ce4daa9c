#pragma once
// The lean read of service tokens for the edge's snapshot (Store::scan_edge_tokens):
// only the columns the edge decides with, streamed row by row so that a store with a
// million tokens never holds them as a vector of full ServiceToken objects.
#include "core/service_token.hpp"
#include "core/time.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace gatehouse {

// One token. The views are valid only during the visit (they point into the row).
struct EdgeTokenRow {
  std::string_view id;
  std::string_view account_id;
  std::string_view name;
  std::string_view client_id;
  std::string_view secret_hash;           // SHA-256 hex of the current secret
  std::string_view previous_secret_hash;  // empty: none
  std::optional<Time> previous_client_secret_expires_at;
  std::optional<Time> expires_at;  // empty = forever
  int client_secret_version = 1;
  bool enabled = true;
};

// The row of a full token (the stores that have no leaner read, tests).
inline EdgeTokenRow edge_token_row(const ServiceToken& t) {
  EdgeTokenRow row;
  row.id = t.id;
  row.account_id = t.account_id;
  row.name = t.name;
  row.client_id = t.client_id;
  row.secret_hash = t.secret_hash;
  if (t.previous_secret_hash) row.previous_secret_hash = *t.previous_secret_hash;
  row.previous_client_secret_expires_at = t.previous_client_secret_expires_at;
  row.expires_at = t.expires_at;
  row.client_secret_version = t.client_secret_version;
  row.enabled = t.enabled;
  return row;
}

class EdgeTokenVisitor {
 public:
  // Before the first row: about how many rows follow (a capacity hint, not a promise).
  virtual void expect(std::size_t rows) = 0;
  virtual void row(const EdgeTokenRow& row) = 0;

 protected:
  ~EdgeTokenVisitor() = default;
};

}  // namespace gatehouse
