#pragma once
// The assertions of the fuzz targets. Always on (NDEBUG does not remove them) and
// fatal: abort() makes libFuzzer save the input as a crash, and makes the replay
// test (tests/fuzz/replay_main.cpp) fail with the message below.
#include <cstdio>
#include <cstdlib>

// A macro for the condition's text and its line in the message.
#define FUZZ_CHECK(cond, what)                                                                          \
  do {                                                                                                 \
    if (!(cond)) {                                                                                     \
      std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s [%s]\n", __FILE__, __LINE__, (what), \
                   #cond);                                                                             \
      std::abort();                                                                                    \
    }                                                                                                  \
  } while (0)
