// The edge's compact token index (edge/token_index.hpp): lookups by client id and by
// id, the text forms given back, stored ids that are not canonical, and the secret
// check on compact records, which must decide exactly as auth's check_client_secret.
#include "auth/service_token_auth.hpp"
#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "edge/token_index.hpp"
#include "edge/token_secret.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace gatehouse::edge {
namespace {

using namespace std::chrono;

const Time kNow = from_micros(1'800'000'000'000'000);

class TokenIndexTest : public ::testing::Test {
 protected:
  SeededRandom random{11};
  OsRandom os;

  ServiceToken make(const std::string& name, const std::string& secret) {
    ServiceToken t;
    t.id = new_uuid(random);
    t.account_id = "acct";
    t.name = name;
    t.client_id = new_client_id(random);
    t.expires_at = kNow + hours(72);
    t.secret_hash = sha256_hex(secret);
    t.client_secret_version = 1;
    return t;
  }

  static std::shared_ptr<const TokenIndex> index_of(const std::vector<ServiceToken>& tokens) {
    TokenIndexBuilder b;
    b.expect(tokens.size());
    for (const auto& t : tokens) b.add(t);
    return b.finish();
  }
};

TEST_F(TokenIndexTest, FindsEveryTokenByClientIdAndById) {
  std::vector<ServiceToken> tokens;
  for (int i = 0; i < 5000; ++i) tokens.push_back(make("token-" + std::to_string(i), new_client_secret(os)));
  tokens[7].account_id = "other-account";
  tokens[8].expires_at.reset();
  tokens[9].enabled = false;
  tokens[10].client_secret_version = 4;
  const auto index = index_of(tokens);
  ASSERT_EQ(index->size(), tokens.size());
  for (const auto& t : tokens) {
    const TokenView by_client = index->find_by_client_id(t.client_id);
    const TokenView by_id = index->find_by_id(t.id);
    ASSERT_TRUE(by_client) << t.client_id;
    ASSERT_TRUE(by_id) << t.id;
    EXPECT_EQ(by_client.id(), t.id);
    EXPECT_EQ(by_id.client_id(), t.client_id);
    EXPECT_EQ(by_client.name(), t.name);
    EXPECT_EQ(by_client.account_id(), t.account_id);
    EXPECT_EQ(by_client.enabled(), t.enabled);
    EXPECT_EQ(by_client.expires_at(), t.expires_at);
    EXPECT_EQ(by_client.client_secret_version(), t.client_secret_version);
  }
}

TEST_F(TokenIndexTest, UnknownAndOtherSpellingsAreNotFound) {
  const auto t = make("ci", new_client_secret(os));
  const auto index = index_of({t});
  EXPECT_FALSE(index->find_by_client_id(new_client_id(random)));
  EXPECT_FALSE(index->find_by_id(new_uuid(random)));
  EXPECT_FALSE(index->find_by_client_id(""));
  EXPECT_FALSE(index->find_by_client_id(t.client_id.substr(0, 32)));
  EXPECT_FALSE(index->find_by_id(t.id.substr(1)));
  // The lookup stays an exact match on the text: uppercase is another string.
  std::string upper = t.client_id;
  for (std::size_t i = 0; i < 32; ++i) upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  ASSERT_NE(upper, t.client_id);
  EXPECT_FALSE(index->find_by_client_id(upper));
  // A client id is not an id, nor the other way round.
  EXPECT_FALSE(index->find_by_id(t.client_id));
  EXPECT_FALSE(index->find_by_client_id(t.id));
  EXPECT_FALSE(index_of({})->find_by_client_id(t.client_id));
}

TEST_F(TokenIndexTest, NonCanonicalStoredIdsAreKeptAndFoundByTheirExactText) {
  auto legacy = make("legacy", new_client_secret(os));
  legacy.client_id = "legacy-client.access";
  legacy.id = "tok-1";
  auto upper = make("upper", new_client_secret(os));
  for (auto& c : upper.id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto normal = make("normal", new_client_secret(os));
  const auto index = index_of({legacy, upper, normal});
  EXPECT_EQ(index->size(), 3u);
  const TokenView l = index->find_by_client_id("legacy-client.access");
  ASSERT_TRUE(l);
  EXPECT_EQ(l.name(), "legacy");
  EXPECT_EQ(l.id(), "tok-1");
  EXPECT_EQ(l.client_id(), "legacy-client.access");
  ASSERT_TRUE(index->find_by_id("tok-1"));
  EXPECT_EQ(index->find_by_id("tok-1").name(), "legacy");
  const TokenView u = index->find_by_id(upper.id);
  ASSERT_TRUE(u);
  EXPECT_EQ(u.id(), upper.id);
  EXPECT_EQ(u.name(), "upper");
  std::string lower = upper.id;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_FALSE(index->find_by_id(lower));
  EXPECT_TRUE(index->find_by_client_id(normal.client_id));
}

TEST_F(TokenIndexTest, ASecondTokenWithTheSameClientIdIsUnreachableAsBefore) {
  auto first = make("first", new_client_secret(os));
  auto second = make("second", new_client_secret(os));
  second.client_id = first.client_id;
  const auto index = index_of({first, second});
  EXPECT_EQ(index->size(), 1u);
  EXPECT_EQ(index->find_by_client_id(first.client_id).name(), "first");
  EXPECT_FALSE(index->find_by_id(second.id));
}

TEST_F(TokenIndexTest, TheSecretCheckDecidesAsAuthDoes) {
  const std::string secret = new_client_secret(os);
  const std::string old_secret = new_client_secret(os);
  std::vector<ServiceToken> cases;
  auto base = make("plain", secret);
  cases.push_back(base);
  auto disabled = make("disabled", secret);
  disabled.enabled = false;
  cases.push_back(disabled);
  auto expired = make("expired", secret);
  expired.expires_at = kNow - seconds(1);
  cases.push_back(expired);
  auto expires_now = make("expires-now", secret);
  expires_now.expires_at = kNow;
  cases.push_back(expires_now);
  auto forever = make("forever", secret);
  forever.expires_at.reset();
  cases.push_back(forever);
  for (const auto grace : {kNow + hours(1), kNow, kNow - seconds(1)}) {
    auto rotated = make("rotated", old_secret);
    rotate(rotated, sha256_hex(secret), grace, kNow - hours(2));
    cases.push_back(rotated);
  }
  auto previous_without_grace = make("no-grace-end", secret);
  previous_without_grace.previous_secret_hash = sha256_hex(old_secret);
  previous_without_grace.client_secret_version = 3;
  cases.push_back(previous_without_grace);
  auto not_hex = make("not-hex", secret);
  not_hex.secret_hash = std::string(64, 'Z');
  cases.push_back(not_hex);
  auto upper_hex = make("upper-hex", secret);
  for (auto& c : upper_hex.secret_hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  cases.push_back(upper_hex);
  auto empty_previous = make("empty-previous", secret);
  empty_previous.previous_secret_hash = "";
  empty_previous.previous_client_secret_expires_at = kNow + hours(1);
  cases.push_back(empty_previous);

  std::string typo = secret;
  typo.back() = typo.back() == 'a' ? 'b' : 'a';
  const std::vector<std::string> presented = {secret, old_secret, new_client_secret(os), typo, "", "cfast_"};
  for (const auto& t : cases) {
    const auto index = index_of({t});
    const TokenView view = index->find_by_client_id(t.client_id);
    ASSERT_TRUE(view);
    for (const auto& p : presented) {
      for (const Time now : {kNow - hours(3), kNow, kNow + hours(2)}) {
        const auto want = check_client_secret(t, p, now);
        const auto got = check_token_secret(view, p, now);
        EXPECT_EQ(got.ok, want.ok) << t.name << " / " << p;
        EXPECT_EQ(got.client_secret_version, want.client_secret_version) << t.name << " / " << p;
        EXPECT_EQ(got.reason, want.reason) << t.name << " / " << p;
      }
    }
  }
}

TEST_F(TokenIndexTest, PreviousSecretDuringItsGraceMatchesWithTheOlderVersion) {
  const std::string old_secret = new_client_secret(os);
  const std::string new_secret = new_client_secret(os);
  auto t = make("ci", old_secret);
  rotate(t, sha256_hex(new_secret), kNow + hours(1), kNow);
  const auto index = index_of({t});
  const TokenView v = index->find_by_id(t.id);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v.previous_secret_in_grace(kNow));
  EXPECT_FALSE(v.previous_secret_in_grace(kNow + hours(1)));
  auto now = check_token_secret(v, new_secret, kNow);
  EXPECT_TRUE(now.ok);
  EXPECT_EQ(now.client_secret_version, 2);
  auto old = check_token_secret(v, old_secret, kNow);
  EXPECT_TRUE(old.ok);
  EXPECT_EQ(old.client_secret_version, 1);
  EXPECT_EQ(check_token_secret(v, old_secret, kNow + hours(1)).reason, "bad_secret");
}

TEST_F(TokenIndexTest, DisabledAndExpiredAreToldOnlyWithTheRightSecret) {
  const std::string secret = new_client_secret(os);
  auto disabled = make("disabled", secret);
  disabled.enabled = false;
  auto expired = make("expired", secret);
  expired.expires_at = kNow - seconds(1);
  const auto index = index_of({disabled, expired});
  const TokenView d = index->find_by_client_id(disabled.client_id);
  const TokenView e = index->find_by_client_id(expired.client_id);
  EXPECT_EQ(check_token_secret(d, secret, kNow).reason, "service_token_disabled");
  EXPECT_EQ(check_token_secret(d, new_client_secret(os), kNow).reason, "bad_secret");
  EXPECT_EQ(check_token_secret(e, secret, kNow).reason, "service_token_expired");
  EXPECT_TRUE(e.expired(kNow));
  EXPECT_FALSE(e.expired(kNow - seconds(2)));
  EXPECT_EQ(check_unknown_token_secret(secret).reason, "bad_secret");
  EXPECT_FALSE(check_unknown_token_secret(secret).ok);
}

}  // namespace
}  // namespace gatehouse::edge
