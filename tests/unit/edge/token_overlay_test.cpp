// Incremental token updates at the edge (SnapshotLoader::load_tokens, edge/token_set.hpp):
// over a base loaded from a real database, created, rotated, disabled and deleted tokens
// are read back alone and published as an overlay that the lookups consult first; the
// overlay folds into a new base on the next full load without losing or resurrecting
// a token; the apps and keys part of the snapshot is shared, not rebuilt.
#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "edge/snapshot_loader.hpp"
#include "edge/token_secret.hpp"
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

namespace gatehouse::edge {
namespace {

using namespace std::chrono;

const Time kNow = from_micros(1'800'000'000'000'000);

class TokenOverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("gatehouse-token-overlay-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto opened = SqliteStore::open(path_.string());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->create_account(Account{"acct", "acct", kNow}, event()));
  }
  void TearDown() override {
    store_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  AuditEvent event() {
    AuditEvent e;
    e.id = "e" + std::to_string(++events_);
    e.account_id = "acct";
    return e;
  }

  // Creates a token in the store; its secret is kept in secrets_ by client id.
  ServiceToken create(const std::string& name) {
    ServiceToken t;
    t.id = new_uuid(random_);
    t.account_id = "acct";
    t.name = name;
    t.client_id = new_client_id(random_);
    t.duration = *parse_duration("72h");
    t.expires_at = kNow + hours(72);
    t.created_at = t.updated_at = kNow;
    const std::string secret = new_client_secret(os_);
    t.secret_hash = sha256_hex(secret);
    t.revision = 1;
    EXPECT_TRUE(store_->insert_service_token(t, event()));
    secrets_[t.client_id] = secret;
    return t;
  }
  void update(ServiceToken& t) {
    ++t.revision;
    auto r = store_->update_service_token(t, event());
    ASSERT_TRUE(r && *r);
  }
  void remove(const ServiceToken& t) {
    auto r = store_->delete_service_token(t.account_id, t.id, event());
    ASSERT_TRUE(r && *r);
  }

  std::shared_ptr<const Snapshot> incremental(SnapshotLoader& loader, const std::vector<ServiceToken>& changed) {
    std::vector<ChangedToken> refs;
    for (const auto& t : changed) refs.push_back({t.account_id, t.id});
    auto snap = loader.load_tokens(refs);
    EXPECT_TRUE(snap) << snap.error().message;
    return snap ? *snap : nullptr;
  }
  std::shared_ptr<const Snapshot> full(SnapshotLoader& loader) {
    auto snap = loader.load();
    EXPECT_TRUE(snap) << snap.error().message;
    return snap ? *snap : nullptr;
  }

  bool accepts(const Snapshot& snap, const std::string& client_id, const std::string& secret) {
    const TokenView v = snap.tokens->find_by_client_id(client_id);
    return v && check_token_secret(v, secret, kNow).ok;
  }
  bool accepts(const Snapshot& snap, const ServiceToken& t) { return accepts(snap, t.client_id, secrets_[t.client_id]); }

  std::filesystem::path path_;
  std::unique_ptr<SqliteStore> store_;
  FakeClock clock_{kNow};
  MasterKey master_{std::array<std::uint8_t, MasterKey::kSize>{}};
  SeededRandom random_{17};
  OsRandom os_;
  int events_ = 0;
  std::map<std::string, std::string> secrets_;  // client id -> current secret
};

TEST_F(TokenOverlayTest, ChangesToTokensAloneArePublishedOverTheBase) {
  std::vector<ServiceToken> base;
  for (int i = 0; i < 1500; ++i) base.push_back(create("base-" + std::to_string(i)));
  SnapshotLoader loader(*store_, master_, clock_);
  const auto loaded = full(loader);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->tokens->size(), base.size());

  // Created: accepted at once.
  const ServiceToken created = create("created");
  auto snap = incremental(loader, {created});
  ASSERT_TRUE(snap);
  EXPECT_TRUE(accepts(*snap, created));
  EXPECT_EQ(snap->tokens->find_by_id(created.id).name(), "created");
  EXPECT_EQ(snap->tokens->size(), base.size() + 1);
  EXPECT_EQ(snap->config, loaded->config);  // apps and keys shared, not rebuilt
  EXPECT_GT(snap->version, loaded->version);

  // Rotated with a grace period: the new secret works, the previous one until the grace ends.
  ServiceToken& rotated = base[10];
  const std::string old_secret = secrets_[rotated.client_id];
  const std::string new_secret = new_client_secret(os_);
  rotate(rotated, sha256_hex(new_secret), kNow + hours(1), kNow);
  update(rotated);
  secrets_[rotated.client_id] = new_secret;
  // Disabled and deleted base tokens, in the same wave.
  ServiceToken& disabled = base[11];
  disabled.enabled = false;
  update(disabled);
  const ServiceToken deleted = base[12];
  remove(deleted);
  snap = incremental(loader, {rotated, disabled, deleted});
  ASSERT_TRUE(snap);
  EXPECT_TRUE(accepts(*snap, rotated.client_id, new_secret));
  const TokenView r = snap->tokens->find_by_client_id(rotated.client_id);
  const auto by_old = check_token_secret(r, old_secret, kNow);
  EXPECT_TRUE(by_old.ok);
  EXPECT_FALSE(check_token_secret(r, old_secret, kNow + hours(2)).ok);  // grace over
  const TokenView d = snap->tokens->find_by_client_id(disabled.client_id);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d.enabled());
  EXPECT_EQ(check_token_secret(d, secrets_[disabled.client_id], kNow).reason, "service_token_disabled");
  EXPECT_FALSE(snap->tokens->find_by_client_id(deleted.client_id));
  EXPECT_FALSE(snap->tokens->find_by_id(deleted.id));
  EXPECT_EQ(snap->tokens->size(), base.size());  // one created, one deleted
  EXPECT_TRUE(accepts(*snap, created));          // earlier changes stay in force
  // A published snapshot never changes: the one before still has the deleted token.
  EXPECT_TRUE(accepts(*loaded, deleted));
  for (std::size_t i = 13; i < base.size(); i += 97) EXPECT_TRUE(accepts(*snap, base[i])) << base[i].name;

  // A created token deleted again, both before the next wave: not found.
  const ServiceToken brief = create("brief");
  remove(brief);
  // And one deleted after it was published from the overlay.
  remove(created);
  snap = incremental(loader, {brief, created});
  ASSERT_TRUE(snap);
  EXPECT_FALSE(snap->tokens->find_by_client_id(brief.client_id));
  EXPECT_FALSE(snap->tokens->find_by_client_id(created.client_id));
  EXPECT_FALSE(snap->tokens->find_by_id(created.id));
  EXPECT_EQ(snap->tokens->size(), base.size() - 1);
}

TEST_F(TokenOverlayTest, TheOverlayFoldsIntoTheBaseWithoutLosingOrResurrectingTokens) {
  std::vector<ServiceToken> live;
  for (int i = 0; i < 40; ++i) live.push_back(create("base-" + std::to_string(i)));
  std::vector<ServiceToken> gone;
  SnapshotLoader loader(*store_, master_, clock_, /*overlay_min=*/8);
  ASSERT_TRUE(full(loader));

  std::shared_ptr<const Snapshot> snap;
  int incremental_waves = 0, refusals = 0;
  for (int round = 0; round < 12; ++round) {
    // Each round: one created, one base token deleted, one disabled.
    std::vector<ServiceToken> changed;
    changed.push_back(create("round-" + std::to_string(round)));
    live.push_back(changed.back());
    gone.push_back(live.front());
    remove(live.front());
    changed.push_back(live.front());
    live.erase(live.begin());
    live[round % live.size()].enabled = false;
    update(live[round % live.size()]);
    changed.push_back(live[round % live.size()]);

    std::vector<ChangedToken> refs;
    for (const auto& t : changed) refs.push_back({t.account_id, t.id});
    auto r = loader.load_tokens(refs);
    ASSERT_TRUE(r) << r.error().message;
    if (*r) {
      snap = *r;
      ++incremental_waves;
    } else {
      // The overlay is full: the full load folds it into a new base.
      ++refusals;
      snap = full(loader);
      ASSERT_TRUE(snap);
      EXPECT_EQ(snap->tokens->overlay_entries(), 0u);
      EXPECT_EQ(snap->tokens->base()->size(), live.size());
    }
    EXPECT_LE(snap->tokens->overlay_entries(), 8u);
    EXPECT_EQ(snap->tokens->size(), live.size()) << "round " << round;
    for (const auto& t : live) {
      const TokenView v = snap->tokens->find_by_client_id(t.client_id);
      ASSERT_TRUE(v) << t.name << " lost in round " << round;
      EXPECT_EQ(v.enabled(), t.enabled) << t.name;
      EXPECT_TRUE(snap->tokens->find_by_id(t.id)) << t.name;
    }
    for (const auto& t : gone) {
      EXPECT_FALSE(snap->tokens->find_by_client_id(t.client_id)) << t.name << " resurrected in round " << round;
      EXPECT_FALSE(snap->tokens->find_by_id(t.id)) << t.name;
    }
  }
  EXPECT_GT(incremental_waves, 0);
  EXPECT_GT(refusals, 0);
}

TEST_F(TokenOverlayTest, NothingLoadedYetMeansAFullLoad) {
  const ServiceToken t = create("t");
  SnapshotLoader loader(*store_, master_, clock_);
  std::vector<ChangedToken> refs{{t.account_id, t.id}};
  auto r = loader.load_tokens(refs);
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  auto snap = full(loader);
  ASSERT_TRUE(snap);
  EXPECT_TRUE(accepts(*snap, t));
}

TEST_F(TokenOverlayTest, ManySmallWavesEachSeeTheirTokenAndNoneIsLost) {
  std::vector<ServiceToken> base;
  for (int i = 0; i < 200; ++i) base.push_back(create("base-" + std::to_string(i)));
  SnapshotLoader loader(*store_, master_, clock_);
  ASSERT_TRUE(full(loader));
  std::vector<ServiceToken> created;
  std::shared_ptr<const Snapshot> before, snap;
  for (int i = 0; i < 300; ++i) {  // the overlay's tables grow several times over
    created.push_back(create("wave-" + std::to_string(i)));
    before = snap;
    snap = incremental(loader, {created.back()});
    ASSERT_TRUE(snap);
    ASSERT_TRUE(accepts(*snap, created.back())) << i;
    // Published overlays are never edited: the previous snapshot lacks this token.
    if (before) {
      EXPECT_FALSE(before->tokens->find_by_client_id(created.back().client_id));
    }
  }
  EXPECT_EQ(snap->tokens->overlay_entries(), created.size());
  EXPECT_EQ(snap->tokens->size(), base.size() + created.size());
  for (const auto& t : created) EXPECT_TRUE(accepts(*snap, t)) << t.name;
  for (const auto& t : base) EXPECT_TRUE(accepts(*snap, t)) << t.name;
  // A full load folds them all into the base.
  snap = full(loader);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->tokens->overlay_entries(), 0u);
  EXPECT_EQ(snap->tokens->base()->size(), base.size() + created.size());
  for (const auto& t : created) EXPECT_TRUE(accepts(*snap, t)) << t.name;
}

}  // namespace
}  // namespace gatehouse::edge
