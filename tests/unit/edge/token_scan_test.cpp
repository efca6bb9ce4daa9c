// The loader's lean read (SqliteStore::scan_edge_tokens) gives the edge the same
// tokens as the full read did: every column the index keeps, for plain, rotated,
// disabled, never-expiring and non-canonical tokens, in a real database.
#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "edge/token_index.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace gatehouse::edge {
namespace {

using namespace std::chrono;

const Time kNow = from_micros(1'800'000'000'000'000);

TEST(TokenScan, TheLeanReadIndexesWhatTheFullReadDoes) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("gatehouse-token-scan-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  auto opened = SqliteStore::open(path.string());
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = **opened;
  int events = 0;
  auto event = [&](const std::string& account) {
    AuditEvent e;
    e.id = "e" + std::to_string(++events);
    e.account_id = account;
    return e;
  };
  for (const char* a : {"acct", "acct2"})
    ASSERT_TRUE(store.create_account(Account{a, a, kNow}, event(a)));

  SeededRandom random{5};
  OsRandom os;
  std::vector<ServiceToken> tokens;
  for (int i = 0; i < 50; ++i) {
    ServiceToken t;
    t.id = new_uuid(random);
    t.account_id = i % 3 == 0 ? "acct2" : "acct";
    t.name = "token-" + std::to_string(i);
    t.client_id = new_client_id(random);
    t.duration = *parse_duration("72h");
    t.expires_at = kNow + hours(72 + i);
    t.created_at = t.updated_at = kNow;
    t.secret_hash = sha256_hex(new_client_secret(os));
    t.revision = 1;
    if (i == 1) t.enabled = false;
    if (i == 2) t.expires_at.reset();
    if (i == 3) rotate(t, sha256_hex(new_client_secret(os)), kNow + hours(1), kNow);
    if (i == 4) {
      t.client_id = "imported-client";
      t.id = "imported-id";
    }
    tokens.push_back(t);
    ASSERT_TRUE(store.insert_service_token(t, event(t.account_id)));
  }

  TokenIndexBuilder lean;
  ASSERT_TRUE(store.scan_edge_tokens(lean));
  const auto index = lean.finish();
  ASSERT_EQ(index->size(), tokens.size());
  for (const auto& t : tokens) {
    const TokenView v = index->find_by_client_id(t.client_id);
    ASSERT_TRUE(v) << t.name;
    EXPECT_EQ(v.id(), t.id);
    EXPECT_EQ(v.client_id(), t.client_id);
    EXPECT_EQ(v.name(), t.name);
    EXPECT_EQ(v.account_id(), t.account_id);
    EXPECT_EQ(v.enabled(), t.enabled);
    EXPECT_EQ(v.expires_at(), t.expires_at);
    EXPECT_EQ(v.client_secret_version(), t.client_secret_version);
    EXPECT_EQ(v.previous_secret_in_grace(kNow), previous_secret_in_grace(t, kNow));
    EXPECT_EQ(v.previous_secret_hash() != nullptr, t.previous_secret_hash.has_value()) << t.name;
    EXPECT_TRUE(index->find_by_id(t.id)) << t.name;
  }
  opened->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

}  // namespace
}  // namespace gatehouse::edge
