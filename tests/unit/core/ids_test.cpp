#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

using namespace gatehouse;

TEST(Crc32, MatchesTheStandardCheckValue) { EXPECT_EQ(crc32("123456789"), 0xCBF43926u); }

TEST(ClientSecret, HasPrefixFortyBase62AndHexChecksum) {
  SeededRandom r(1);
  const std::regex shape("^cfast_[0-9A-Za-z]{40}[0-9a-f]{8}$");
  for (int i = 0; i < 100; ++i) {
    const auto s = new_client_secret(r);
    EXPECT_TRUE(std::regex_match(s, shape)) << s;
    EXPECT_TRUE(is_well_formed_client_secret(s)) << s;
  }
}

TEST(ClientSecret, ChecksumCatchesEverySingleCharacterTypo) {
  SeededRandom r(2);
  const auto s = new_client_secret(r);
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (std::size_t i = kClientSecretPrefix.size(); i < s.size(); ++i) {
    for (char c : alphabet) {
      if (c == s[i]) continue;
      std::string typo = s;
      typo[i] = c;
      EXPECT_FALSE(is_well_formed_client_secret(typo)) << typo;
    }
  }
}

TEST(ClientSecret, ChecksumCatchesAdjacentSwaps) {
  SeededRandom r(3);
  const auto s = new_client_secret(r);
  for (std::size_t i = kClientSecretPrefix.size(); i + 1 < s.size(); ++i) {
    if (s[i] == s[i + 1]) continue;
    std::string swapped = s;
    std::swap(swapped[i], swapped[i + 1]);
    EXPECT_FALSE(is_well_formed_client_secret(swapped)) << swapped;
  }
}

TEST(ClientSecret, RefusesTruncatedExtendedAndForeignPrefix) {
  SeededRandom r(4);
  const auto s = new_client_secret(r);
  EXPECT_FALSE(is_well_formed_client_secret(s.substr(0, s.size() - 1)));
  EXPECT_FALSE(is_well_formed_client_secret(s + "0"));
  EXPECT_FALSE(is_well_formed_client_secret("cfat_" + s.substr(6)));
  EXPECT_FALSE(is_well_formed_client_secret(""));
  EXPECT_FALSE(is_well_formed_api_token(s));  // a client secret is not an API token
}

TEST(ClientSecret, Base62IsUniform) {
  // 62 symbols over 40 * 2000 draws: every symbol appears, none wildly more than
  // its share (a modulo bias would favour the first 8 symbols by 2x at 256 % 62).
  SeededRandom r(5);
  std::map<char, int> counts;
  for (int i = 0; i < 2000; ++i) {
    const auto s = new_client_secret(r);
    for (std::size_t k = 6; k < 46; ++k) ++counts[s[k]];
  }
  EXPECT_EQ(counts.size(), 62u);
  const double expected = 2000.0 * 40 / 62;
  for (auto [c, n] : counts) EXPECT_NEAR(n, expected, expected * 0.15) << c;
}

TEST(ClientId, Is32HexDotAccess) {
  SeededRandom r(6);
  const auto id = new_client_id(r);
  EXPECT_TRUE(std::regex_match(id, std::regex("^[0-9a-f]{32}\\.access$"))) << id;
  EXPECT_TRUE(is_client_id(id));
  EXPECT_FALSE(is_client_id(id.substr(1)));
  EXPECT_FALSE(is_client_id("ABCDEF0123456789ABCDEF0123456789.access"));
}

TEST(Uuid, IsVersion4AndUnique) {
  SeededRandom r(7);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto u = new_uuid(r);
    EXPECT_TRUE(is_uuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(is_uuid("not-a-uuid"));
}

TEST(ApiToken, HasItsOwnPrefixAndChecksum) {
  SeededRandom r(8);
  const auto t = new_api_token(r);
  EXPECT_EQ(t.substr(0, 4), "gat_");
  EXPECT_TRUE(is_well_formed_api_token(t));
  EXPECT_FALSE(is_well_formed_client_secret(t));
}
