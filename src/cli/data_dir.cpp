#include "cli/data_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace gatehouse::cli {

std::string database_path(const std::string& data_dir) { return data_dir + "/gatehouse.db"; }
std::string runtime_path(const std::string& data_dir) { return data_dir + "/serve.json"; }

namespace {
std::unique_ptr<SqliteStore> open_db(const std::string& data_dir) {
  auto store = SqliteStore::open(database_path(data_dir));
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(*store);
}
}  // namespace

std::unique_ptr<SqliteStore> open_or_create(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error("cannot create data dir " + data_dir + ": " + ec.message());
  if (::chmod(data_dir.c_str(), 0700) != 0)
    throw std::runtime_error("cannot restrict permissions of " + data_dir + ": " + std::strerror(errno));
  ::umask(077);  // the database and its WAL hold hashes and audit data: owner only
  return open_db(data_dir);
}

std::unique_ptr<SqliteStore> open_existing(const std::string& data_dir) {
  if (!std::filesystem::exists(database_path(data_dir)))
    throw std::runtime_error("no Gatehouse data in \"" + data_dir +
                             "\" (expected " + database_path(data_dir) +
                             "); start `gatehouse serve --data-dir " + data_dir + "` once first");
  return open_db(data_dir);
}

}  // namespace gatehouse::cli
