#pragma once
// Runs a CLI command body, turning a start-up exception into "gatehouse: <message>"
// on stderr and exit code 1.
#include <exception>
#include <iostream>

namespace gatehouse::cli {

template <class F>
int guarded(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace gatehouse::cli
