#pragma once
// One fixed instant for every benchmark (2027-01-15), so expiry checks and the JWT
// caches behave the same on every run and on every machine.
#include "core/time.hpp"

namespace gatehouse::bench {

inline const Time kBenchNow = from_micros(1'800'000'000'000'000);

}  // namespace gatehouse::bench
