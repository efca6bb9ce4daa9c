#include "jwt/master_key.hpp"

#include "jwt/base64url.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gatehouse {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::array<std::uint8_t, 32> counting_bytes() {
  std::array<std::uint8_t, 32> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i);
  return b;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gh-jwt-master-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(MasterKey, ParsesHexInEitherCase) {
  EXPECT_EQ(parse_master_key(kHex)->bytes(), counting_bytes());
  std::string upper(kHex);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(parse_master_key(upper)->bytes(), counting_bytes());
  EXPECT_EQ(parse_master_key("  " + std::string(kHex) + "\n")->bytes(), counting_bytes());
}

TEST(MasterKey, ParsesBase64urlOf32Bytes) {
  const auto bytes = counting_bytes();
  const std::string text = base64url_encode(std::span<const std::uint8_t>(bytes));
  ASSERT_EQ(text.size(), 43u);
  EXPECT_EQ(parse_master_key(text)->bytes(), bytes);
}

TEST(MasterKey, RejectsOtherLengthsAndCharacters) {
  EXPECT_FALSE(parse_master_key(""));
  EXPECT_FALSE(parse_master_key(kHex.substr(2)));
  EXPECT_FALSE(parse_master_key(std::string(kHex) + "00"));
  EXPECT_FALSE(parse_master_key(std::string(63, '0') + "g"));
  EXPECT_FALSE(parse_master_key(base64url_encode(std::string(31, 'k'))));
  EXPECT_FALSE(parse_master_key(base64url_encode(std::string(33, 'k'))));
  EXPECT_FALSE(parse_master_key(base64url_encode(std::string(32, 'k')) + "="));
}

TEST(MasterKey, EnvironmentValueWinsOverTheFile) {
  TempDir dir;
  SeededRandom random(1);
  const MasterKey key = load_master_key(std::string_view(kHex), dir.path() / "master.key", random);
  EXPECT_EQ(key.bytes(), counting_bytes());
  EXPECT_FALSE(fs::exists(dir.path() / "master.key"));
}

TEST(MasterKey, BadEnvironmentValueIsRefusedWithoutEchoingIt) {
  TempDir dir;
  SeededRandom random(1);
  const std::string msg = message_of([&] { load_master_key(std::string_view("s3cr3t-but-short"), dir.path() / "k", random); });
  EXPECT_NE(msg.find("GATEHOUSE_MASTER_KEY"), std::string::npos) << msg;
  EXPECT_NE(msg.find("16 characters"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("s3cr3t"), std::string::npos) << msg;
}

TEST(MasterKey, CreatesTheKeyFileWithMode0600WhenAbsent) {
  TempDir dir;
  const fs::path file = dir.path() / "master.key";
  SeededRandom random(1);
  const MasterKey created = load_master_key(std::nullopt, file, random);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const std::string text = read_file(file);
  EXPECT_EQ(text.size(), 65u);
  EXPECT_EQ(parse_master_key(text)->bytes(), created.bytes());

  // A second start reads the same key and does not touch the file.
  SeededRandom other(2);
  EXPECT_EQ(load_master_key(std::string_view(""), file, other).bytes(), created.bytes());
  EXPECT_EQ(read_file(file), text);
}

TEST(MasterKey, RefusesAKeyFileReadableByOthers) {
  TempDir dir;
  const fs::path file = dir.path() / "master.key";
  std::ofstream(file) << kHex << "\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  SeededRandom random(1);
  const std::string msg = message_of([&] { load_master_key(std::nullopt, file, random); });
  EXPECT_NE(msg.find("0644"), std::string::npos) << msg;
  EXPECT_NE(msg.find("chmod 600"), std::string::npos) << msg;
  fs::permissions(file, fs::perms::owner_read);
  EXPECT_EQ(load_master_key(std::nullopt, file, random).bytes(), counting_bytes());
}

TEST(MasterKey, RefusesAKeyFileOfTheWrongLength) {
  TempDir dir;
  const fs::path file = dir.path() / "master.key";
  std::ofstream(file) << kHex.substr(0, 40) << "\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  SeededRandom random(1);
  const std::string msg = message_of([&] { load_master_key(std::nullopt, file, random); });
  EXPECT_NE(msg.find("64 hex digits"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(std::string(kHex.substr(0, 40))), std::string::npos) << msg;
}

TEST(MasterKey, RefusesASymlinkAndADirectory) {
  TempDir dir;
  const fs::path target = dir.path() / "target.key";
  std::ofstream(target) << kHex << "\n";
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write);
  fs::create_symlink(target, dir.path() / "link.key");
  SeededRandom random(1);
  EXPECT_NE(message_of([&] { load_master_key(std::nullopt, dir.path() / "link.key", random); }), "");
  fs::create_directory(dir.path() / "sub");
  fs::permissions(dir.path() / "sub", fs::perms::owner_all);
  EXPECT_NE(message_of([&] { load_master_key(std::nullopt, dir.path() / "sub", random); }), "");
}

}  // namespace
}  // namespace gatehouse
