#include "jwt/jwks.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

using namespace gatehouse::testing;

TEST(Jwks, PublishKeyHasKidJwkAndCertificate) {
  auto published = publish_key(test_key().pkey(), "team.example.com", kNow);
  ASSERT_TRUE(published);
  EXPECT_EQ(published->kid, test_key().kid());
  EXPECT_EQ(published->jwk, public_jwk(test_key().pkey()).value());
  EXPECT_TRUE(published->cert_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
}

// compat.md §2.6: keys [current, previous], public_cert (current), public_certs.
TEST(Jwks, ListsTheCurrentKeyFirstThenThePreviousOnes) {
  const PublishedKey current = publish_key(test_key().pkey(), "team.example.com", kNow).value();
  const PublishedKey previous[] = {publish_key(other_key().pkey(), "team.example.com", kNow).value()};
  const boost::json::object jwks = build_jwks(current, previous);

  ASSERT_EQ(jwks.size(), 3u);
  const auto& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], current.jwk);
  EXPECT_EQ(keys[1], previous[0].jwk);
  EXPECT_EQ(str(keys[0].at("kid")), test_key().kid());
  EXPECT_EQ(str(keys[1].at("kid")), other_key().kid());

  const boost::json::object cert{{"kid", current.kid}, {"cert", current.cert_pem}};
  EXPECT_EQ(jwks.at("public_cert"), cert);
  const auto& certs = jwks.at("public_certs").as_array();
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs[0], cert);
  EXPECT_EQ(str(certs[1].at("kid")), other_key().kid());
  EXPECT_EQ(str(certs[1].at("cert")), previous[0].cert_pem);
}

TEST(Jwks, WithoutPreviousKeysListsOnlyTheCurrentOne) {
  const PublishedKey current = publish_key(test_key().pkey(), "team.example.com", kNow).value();
  const boost::json::object jwks = build_jwks(current, {});
  EXPECT_EQ(jwks.at("keys").as_array().size(), 1u);
  EXPECT_EQ(jwks.at("public_certs").as_array().size(), 1u);
}

TEST(Jwks, ContainsNoPrivateKeyMaterial) {
  const PublishedKey current = publish_key(test_key().pkey(), "team.example.com", kNow).value();
  const std::string text = boost::json::serialize(build_jwks(current, {}));
  EXPECT_EQ(text.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(text.find("\"d\""), std::string::npos);
}

// A verifier that knows only the JWKS document rebuilds the key from n and e.
TEST(Jwks, JwkCarriesTheModulusAndExponentOfTheKey) {
  const boost::json::object jwk = public_jwk(test_key().pkey()).value();
  const std::string n = base64url_decode(jwk.at("n").as_string()).value();
  const std::string e = base64url_decode(jwk.at("e").as_string()).value();
  BignumPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  BignumPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr));
  BIGNUM* key_n = nullptr;
  BIGNUM* key_e = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(test_key().pkey(), "n", &key_n), 1);
  ASSERT_EQ(EVP_PKEY_get_bn_param(test_key().pkey(), "e", &key_e), 1);
  BignumPtr owned_n(key_n), owned_e(key_e);
  EXPECT_EQ(BN_cmp(bn_n.get(), key_n), 0);
  EXPECT_EQ(BN_cmp(bn_e.get(), key_e), 0);
  EXPECT_EQ(BN_get_word(key_e), 65537u);
}

}  // namespace
}  // namespace gatehouse
