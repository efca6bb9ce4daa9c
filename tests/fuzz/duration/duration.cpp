// parse_duration (core/duration.hpp) on arbitrary text: the lifetimes clients send
// when they create or edit a service token.
//
// Properties:
// - an accepted duration keeps the text as given, and is "forever" only for exactly
//   "forever"; otherwise its length is in (0, INT64_MAX] nanoseconds;
// - nothing that starts with '-' is accepted (no negative lifetime);
// - reparsing the length written in whole nanoseconds, and written as hours, minutes,
//   seconds and nanoseconds ("1h2m3s4ns"), gives the same length (the units and their
//   sums agree);
// - a refusal is a 400 invalid_duration with a message.
#include "core/duration.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

using namespace gatehouse;

namespace {

std::chrono::nanoseconds reparse(const std::string& text) {
  const auto d = parse_duration(text);
  FUZZ_CHECK(d.has_value(), "a length written back as a Go duration parses");
  FUZZ_CHECK(d->length.has_value(), "a written-back length is not forever");
  return *d->length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto d = parse_duration(text);
  if (!d) {
    FUZZ_CHECK(d.error().http_status == 400, "a refused duration is a 400");
    FUZZ_CHECK(d.error().slug == "invalid_duration", "a refused duration is invalid_duration");
    FUZZ_CHECK(!d.error().message.empty(), "a refusal says why");
    return 0;
  }
  FUZZ_CHECK(d->text == text, "the duration keeps the text as the client wrote it");
  FUZZ_CHECK(d->forever() == (text == "forever"), "only \"forever\" is forever");
  if (d->forever()) return 0;
  FUZZ_CHECK(text.front() != '-', "no negative duration is accepted");
  const std::int64_t ns = d->length->count();
  FUZZ_CHECK(ns > 0, "an accepted length is positive");

  FUZZ_CHECK(reparse(std::to_string(ns) + "ns").count() == ns, "the length in nanoseconds reparses equal");
  constexpr std::int64_t kSecond = 1'000'000'000;
  const std::int64_t h = ns / (3600 * kSecond), m = ns / (60 * kSecond) % 60, s = ns / kSecond % 60;
  const std::int64_t rest = ns % kSecond;
  const std::string split = std::to_string(h) + "h" + std::to_string(m) + "m" + std::to_string(s) + "s" +
                            std::to_string(rest) + "ns";
  FUZZ_CHECK(reparse(split).count() == ns, "the length split into h, m, s and ns reparses equal");

  // Expiry never overflows (duration.hpp's contract), even from a late `now`.
  const Time late = Time{} + std::chrono::hours(24 * 365 * 200);
  const auto expiry = expiry_after(late, *d);
  // (Sub-microsecond lengths round down to now itself: Time counts microseconds.)
  FUZZ_CHECK(expiry.has_value() && *expiry >= late && *expiry - late <= *d->length, "an expiry is now + length");
  return 0;
}
