#pragma once
// Every benchmark checks its result once before timing it: a path that fails early (a
// refused JWT, a 400 verdict, an unmatched app) looks fast and would make the figure
// meaningless, so a wrong result stops the run instead of being measured.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace gatehouse::bench {

inline void require(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "micro_bench: broken path, not measuring it: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace gatehouse::bench
