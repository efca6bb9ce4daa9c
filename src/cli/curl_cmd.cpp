// `gatehouse curl URL [curl args]` (compat.md §3): runs the system curl with the
// service-token headers, keeps the CF_Authorization JWT the edge returns, per host, in a
// 0600 file, and sends that JWT (cf-access-token) instead of the secret until it is
// about to expire — like `cloudflared access curl`. The secret is handed to curl in a
// 0600 header file (-H @file), never on the command line where `ps` would show it.
#include "cli/commands.hpp"
#include "core/time.hpp"
#include "jwt/base64url.hpp"

#include <boost/json/parse.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace gatehouse::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kRenewBefore{60};

std::string host_of(const std::string& url) {
  auto rest = url;
  if (auto p = rest.find("://"); p != std::string::npos) rest = rest.substr(p + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  std::string out;
  for (char c : rest)
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? static_cast<char>(std::tolower(c)) : '_');
  return out;
}

fs::path default_cache_dir() {
  if (const char* d = std::getenv("GATEHOUSE_CURL_CACHE"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return fs::path(x) / "gatehouse" / "curl";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".config" / "gatehouse" / "curl";
  return fs::temp_directory_path() / ("gatehouse-curl-" + std::to_string(::getuid()));
}

// exp claim of a JWT, without verifying it: only to decide when to renew.
std::optional<std::int64_t> jwt_exp(const std::string& jwt) {
  const auto a = jwt.find('.');
  const auto b = jwt.find('.', a + 1);
  if (a == std::string::npos || b == std::string::npos) return std::nullopt;
  auto payload = base64url_decode(std::string_view(jwt).substr(a + 1, b - a - 1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(*payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* exp = v.as_object().if_contains("exp");
  if (!exp || !exp->is_int64()) return std::nullopt;
  return exp->as_int64();
}

bool write_private(const fs::path& path, const std::string& content) {
  const std::string tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
  if (fd < 0) return false;
  ::fchmod(fd, 0600);
  const bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  if (!ok) return false;
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string cookie_from_headers(const std::string& dump) {
  std::istringstream in(dump);
  std::string line, found;
  while (std::getline(in, line)) {
    if (line.size() < 11 || strncasecmp(line.c_str(), "set-cookie:", 11) != 0) continue;
    auto v = line.substr(11);
    const auto start = v.find("CF_Authorization=");
    if (start == std::string::npos) continue;
    v = v.substr(start + 17);
    found = v.substr(0, v.find_first_of(";\r\n"));
  }
  return found;
}

int run_curl(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("gatehouse curl: fork");
    return 1;
  }
  if (pid == 0) {
    ::execvp("curl", argv.data());
    std::perror("gatehouse curl: cannot run curl (is it installed?)");
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int curl_command(const CurlOptions& o) {
  if (o.url.empty()) {
    std::cerr << "gatehouse curl: give the URL to fetch\n";
    return 2;
  }
  const fs::path dir = o.cache_dir.empty() ? default_cache_dir() : fs::path(o.cache_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0) {
    std::cerr << "gatehouse curl: cannot use cache dir " << dir << ": " << (ec ? ec.message() : std::strerror(errno)) << "\n";
    return 1;
  }
  const fs::path jwt_file = dir / (host_of(o.url) + ".jwt");
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(SystemClock().now().time_since_epoch()).count();

  std::string jwt;
  if (fs::exists(jwt_file)) {
    jwt = read_file(jwt_file);
    while (!jwt.empty() && std::isspace(static_cast<unsigned char>(jwt.back()))) jwt.pop_back();
    const auto exp = jwt_exp(jwt);
    if (!exp || *exp - now_s <= kRenewBefore.count()) jwt.clear();
  }
  if (jwt.empty() && (o.client_id.empty() || o.client_secret.empty())) {
    std::cerr << "gatehouse curl: no stored JWT for this host and no service token: pass --client-id and "
                 "--client-secret or set GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET\n";
    return 2;
  }

  const fs::path headers_file = dir / (".headers-" + std::to_string(::getpid()));
  const fs::path dump_file = dir / (".response-" + std::to_string(::getpid()));
  const std::string headers = jwt.empty() ? "CF-Access-Client-Id: " + o.client_id + "\nCF-Access-Client-Secret: " +
                                                o.client_secret + "\n"
                                          : "cf-access-token: " + jwt + "\n";
  if (!write_private(headers_file, headers)) {
    std::cerr << "gatehouse curl: cannot write " << headers_file << "\n";
    return 1;
  }
  std::vector<std::string> args{"curl", "-H", "@" + headers_file.string()};
  if (jwt.empty()) args.insert(args.end(), {"-D", dump_file.string()});
  for (const auto& a : o.curl_args) args.push_back(a);
  args.push_back(o.url);
  const int rc = run_curl(args);
  fs::remove(headers_file, ec);
  if (jwt.empty()) {
    const std::string issued = cookie_from_headers(read_file(dump_file));
    fs::remove(dump_file, ec);
    if (!issued.empty() && !write_private(jwt_file, issued + "\n"))
      std::cerr << "gatehouse curl: warning: cannot store the JWT in " << jwt_file << "\n";
  }
  return rc;
}

}  // namespace gatehouse::cli
