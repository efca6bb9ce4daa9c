// The main() of a fuzz target in the normal build (`make test`): runs
// LLVMFuzzerTestOneInput once over each file named on the command line and each file
// of each directory named, in name order, so the seed corpus and the regression
// inputs keep passing under GCC with ASan+UBSan. libFuzzer is not needed for that;
// `make fuzz` builds the same targets against it (scripts/fuzz.sh).
//
// Fails (exit 1) on a missing path or an empty directory: a corpus that vanished
// must not pass as "ran nothing, found nothing". A failing input aborts in the target.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool run_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
    return false;
  }
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // A copy in its own allocation, so ASan sees reads one past the end of the input.
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus dir or input file>...\n", argv[0]);
    return 2;
  }
  std::size_t ran = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(arg, ec))
        if (entry.is_regular_file()) files.push_back(entry.path());
      if (ec || files.empty()) {
        std::fprintf(stderr, "replay: %s is empty or unreadable\n", arg.c_str());
        return 1;
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        if (!run_file(f)) return 1;
        ++ran;
      }
    } else if (fs::is_regular_file(arg, ec)) {
      if (!run_file(arg)) return 1;
      ++ran;
    } else {
      std::fprintf(stderr, "replay: %s does not exist\n", arg.c_str());
      return 1;
    }
  }
  std::printf("replay: ran %zu inputs\n", ran);
  return 0;
}
