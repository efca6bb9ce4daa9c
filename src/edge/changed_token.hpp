#pragma once
// A service token that an admin change touched, as the edge's incremental update
// needs it: the store reads it back by account and id (a deleted token reads as none).
#include <string>

namespace gatehouse::edge {

struct ChangedToken {
  std::string account_id;
  std::string id;
};

}  // namespace gatehouse::edge
