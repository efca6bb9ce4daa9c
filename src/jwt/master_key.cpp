#include "jwt/master_key.hpp"

#include "jwt/base64url.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace gatehouse {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Closes the descriptor on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error("master key file " + path.string() + ": " + what);
}

std::string errno_text() { return std::strerror(errno); }

std::string format_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "cannot write: " + errno_text());
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Returns false if the file already exists (someone else created it first).
bool create_key_file(const std::filesystem::path& path, Random& random) {
  const int raw = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (raw < 0) {
    if (errno == EEXIST) return false;
    fail(path, "cannot create: " + errno_text());
  }
  Fd fd(raw);
  std::array<std::uint8_t, MasterKey::kSize> key{};
  random.fill(key);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (const auto b : key) {
    text.push_back(kHex[b >> 4]);
    text.push_back(kHex[b & 0xF]);
  }
  text.push_back('\n');
  OPENSSL_cleanse(key.data(), key.size());
  write_all(fd.get(), text, path);
  OPENSSL_cleanse(text.data(), text.size());
  if (::fsync(fd.get()) != 0) fail(path, "cannot sync: " + errno_text());
  // Make the new directory entry durable too: a key lost in a crash would make every
  // signing key stored with it unreadable.
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir_raw = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_raw >= 0) {
    Fd dir_fd(dir_raw);
    ::fsync(dir_fd.get());
  }
  return true;
}

MasterKey read_key_file(const std::filesystem::path& path) {
  const int raw = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) fail(path, "cannot open: " + errno_text());
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail(path, "cannot stat: " + errno_text());
  if (!S_ISREG(st.st_mode)) fail(path, "is not a regular file");
  if ((st.st_mode & 077) != 0) {
    fail(path, "has mode " + format_mode(st.st_mode) +
                   "; it must not be readable or writable by group or others (chmod 600 " + path.string() + ")");
  }
  std::string text(256, '\0');
  std::size_t used = 0;
  while (used < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "cannot read: " + errno_text());
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  auto key = parse_master_key(std::string_view(text.data(), used));
  OPENSSL_cleanse(text.data(), text.size());
  if (!key) {
    fail(path, "must hold 64 hex digits or base64url of 32 bytes (found " + std::to_string(used) + " bytes)");
  }
  return *key;
}

}  // namespace

std::optional<MasterKey> parse_master_key(std::string_view text) {
  text = trim(text);
  std::array<std::uint8_t, MasterKey::kSize> bytes{};
  if (text.size() == 2 * MasterKey::kSize) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      const int hi = hex_value(text[2 * i]);
      const int lo = hex_value(text[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
  } else {
    auto decoded = base64url_decode(text);
    if (!decoded || decoded->size() != MasterKey::kSize) return std::nullopt;
    std::memcpy(bytes.data(), decoded->data(), bytes.size());
    OPENSSL_cleanse(decoded->data(), decoded->size());
  }
  MasterKey key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

MasterKey load_master_key(std::optional<std::string_view> env_value, const std::filesystem::path& key_file,
                          Random& random) {
  if (env_value && !env_value->empty()) {
    auto key = parse_master_key(*env_value);
    if (!key) {
      throw std::runtime_error(std::string(kMasterKeyEnv) +
                               " must be 64 hex digits or base64url (no padding) of 32 bytes; got " +
                               std::to_string(trim(*env_value).size()) + " characters");
    }
    return *key;
  }
  if (!std::filesystem::exists(std::filesystem::symlink_status(key_file))) {
    create_key_file(key_file, random);  // false if another process created it first: read theirs
  }
  return read_key_file(key_file);
}

MasterKey load_master_key(const std::filesystem::path& key_file, Random& random) {
  const char* env = std::getenv(kMasterKeyEnv);
  return load_master_key(env ? std::optional<std::string_view>(env) : std::nullopt, key_file, random);
}

}  // namespace gatehouse
