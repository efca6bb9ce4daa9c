#include "jwt/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gatehouse {
namespace {

constexpr int kFirst = static_cast<int>(jwt_errc::too_large);
constexpr int kLast = static_cast<int>(jwt_errc::internal);

TEST(JwtErrc, EveryCodeHasAUniqueSlugAndAMessage) {
  std::set<std::string> slugs;
  for (int v = kFirst; v <= kLast; ++v) {
    const auto e = static_cast<jwt_errc>(v);
    const std::string slug(jwt_reason_slug(e));
    EXPECT_TRUE(slug.starts_with("jwt_")) << v;
    EXPECT_TRUE(slugs.insert(slug).second) << slug;
    EXPECT_NE(make_error_code(e).message(), "unknown jwt error") << slug;
  }
}

TEST(JwtErrc, SlugsAreStable) {
  EXPECT_EQ(jwt_reason_slug(jwt_errc::malformed), "jwt_malformed");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::bad_signature), "jwt_bad_signature");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::alg_not_allowed), "jwt_alg_not_allowed");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::unknown_kid), "jwt_unknown_kid");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::expired), "jwt_expired");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::not_yet_valid), "jwt_not_yet_valid");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::audience_mismatch), "jwt_audience_mismatch");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::issuer_mismatch), "jwt_issuer_mismatch");
  EXPECT_EQ(jwt_reason_slug(jwt_errc::too_large), "jwt_too_large");
}

TEST(JwtErrc, ComparesWithErrorCodes) {
  const boost::system::error_code ec = jwt_errc::expired;
  EXPECT_EQ(ec, jwt_errc::expired);
  EXPECT_NE(ec, jwt_errc::not_yet_valid);
  EXPECT_EQ(jwt_reason_slug(ec), "jwt_expired");
  EXPECT_STREQ(ec.category().name(), "gatehouse.jwt");
  EXPECT_EQ(jwt_reason_slug(boost::system::error_code(5, boost::system::generic_category())), "jwt_internal");
}

TEST(JwtErrc, ToErrorIs401ForTokensAnd500ForKeyStorage) {
  const Error token = to_error(jwt_errc::audience_mismatch);
  EXPECT_EQ(token.http_status, 401);
  EXPECT_EQ(token.slug, "jwt_audience_mismatch");
  EXPECT_EQ(token.message, "the JWT is for another application (aud)");
  EXPECT_EQ(to_error(jwt_errc::key_decrypt_failed).http_status, 500);
  EXPECT_EQ(to_error(jwt_errc::internal).http_status, 500);
}

}  // namespace
}  // namespace gatehouse
