#include "jwt/rsa_key.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>

namespace gatehouse {
namespace {

using testing::kRfc7515A2PrivateKeyPem;
using testing::test_key;

bool is_lower_hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(RsaKey, GeneratesA2048BitRsaKey) {
  EXPECT_TRUE(EVP_PKEY_is_a(test_key().pkey(), "RSA"));
  EXPECT_EQ(EVP_PKEY_get_bits(test_key().pkey()), 2048);
  EXPECT_TRUE(is_rs256_key(test_key().pkey()));
}

TEST(RsaKey, KidIsSha256OfThePublicKeyDerAsLowercaseHex) {
  EXPECT_TRUE(is_lower_hex64(test_key().kid()));
  EXPECT_EQ(key_id(test_key().pkey()).value(), test_key().kid());
  EXPECT_NE(testing::other_key().kid(), test_key().kid());
}

// Independent value: SHA-256 of the SubjectPublicKeyInfo DER of the RFC 7515 A.2 key,
// computed with Python's `cryptography` package.
TEST(RsaKey, KidOfTheRfc7515KeyMatchesAnIndependentComputation) {
  auto key = signing_key_from_pem(kRfc7515A2PrivateKeyPem);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->kid(), "6fd13c2435a361e7c588cd17f55f5ad3df0177a66c1727a6a200845f4d7ab88c");
}

TEST(RsaKey, PrivatePemRoundTripsWithTheSameKid) {
  const std::string pem = private_key_pem(test_key().pkey()).value();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  auto back = signing_key_from_pem(pem);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kid(), test_key().kid());
  EXPECT_EQ(EVP_PKEY_eq(back->pkey(), test_key().pkey()), 1);
}

TEST(RsaKey, PublicPemRoundTripsWithTheSameKid) {
  const std::string pem = public_key_pem(test_key().pkey()).value();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_EQ(pem.find("PRIVATE"), std::string::npos);
  auto back = public_key_from_pem(pem);
  ASSERT_TRUE(back);
  EXPECT_EQ(key_id(back->get()).value(), test_key().kid());
  EXPECT_EQ(EVP_PKEY_eq(back->get(), test_key().pkey()), 1);
}

TEST(RsaKey, PublicKeyLoadsFromDer) {
  const int len = i2d_PUBKEY(test_key().pkey(), nullptr);
  std::string der(static_cast<std::size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  ASSERT_EQ(i2d_PUBKEY(test_key().pkey(), &p), len);
  auto key = public_key_from_der(der);
  ASSERT_TRUE(key);
  EXPECT_EQ(key_id(key->get()).value(), test_key().kid());
  EXPECT_EQ(public_key_from_der(der + "x").error(), jwt_errc::key_invalid);
  EXPECT_EQ(public_key_from_der(der.substr(0, der.size() - 1)).error(), jwt_errc::key_invalid);
}

// RFC 7515 Appendix A.2 lists the key's n and e: our JWK must reproduce them exactly.
TEST(RsaKey, JwkOfTheRfc7515KeyMatchesTheRfc) {
  auto key = signing_key_from_pem(kRfc7515A2PrivateKeyPem);
  ASSERT_TRUE(key);
  auto jwk = public_jwk(key->pkey());
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->at("kty"), "RSA");
  EXPECT_EQ(jwk->at("alg"), "RS256");
  EXPECT_EQ(jwk->at("use"), "sig");
  EXPECT_EQ(testing::str(jwk->at("kid")), key->kid());
  EXPECT_EQ(jwk->at("e"), "AQAB");
  EXPECT_EQ(jwk->at("n"),
            "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-"
            "yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-"
            "KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-"
            "DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ");
  EXPECT_EQ(jwk->size(), 6u);
}

TEST(RsaKey, JwkHasNoPrivateMembers) {
  auto jwk = public_jwk(test_key().pkey()).value();
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(jwk.contains(member)) << member;
  // n is the 256-byte modulus without a leading zero byte: 342 base64url characters.
  EXPECT_EQ(jwk.at("n").as_string().size(), 342u);
}

TEST(RsaKey, RefusesKeysShorterThan2048Bits) {
  PkeyPtr small(EVP_RSA_gen(1024));
  ASSERT_TRUE(small);
  EXPECT_FALSE(is_rs256_key(small.get()));
  const std::string pem = private_key_pem(small.get()).value();
  EXPECT_EQ(signing_key_from_pem(pem).error(), jwt_errc::key_invalid);
  EXPECT_EQ(public_key_from_pem(public_key_pem(small.get()).value()).error(), jwt_errc::key_invalid);
}

TEST(RsaKey, RefusesNonRsaKeys) {
  PkeyPtr ec(EVP_EC_gen("P-256"));
  ASSERT_TRUE(ec);
  EXPECT_FALSE(is_rs256_key(ec.get()));
  EXPECT_EQ(signing_key_from_pem(private_key_pem(ec.get()).value()).error(), jwt_errc::key_invalid);
  EXPECT_EQ(public_jwk(ec.get()).error(), jwt_errc::key_invalid);
}

TEST(RsaKey, RefusesAnEncryptedPemWithoutPrompting) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  static char passphrase[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), test_key().pkey(), EVP_aes_256_cbc(), passphrase,
                                          static_cast<int>(sizeof passphrase - 1), nullptr, nullptr),
            1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  const std::string pem(data, static_cast<std::size_t>(n));
  ASSERT_NE(pem.find("ENCRYPTED"), std::string::npos);
  EXPECT_EQ(signing_key_from_pem(pem).error(), jwt_errc::key_invalid);
}

TEST(RsaKey, RefusesGarbageAndTextAroundThePem) {
  const std::string pem = private_key_pem(test_key().pkey()).value();
  EXPECT_EQ(signing_key_from_pem("").error(), jwt_errc::key_invalid);
  EXPECT_EQ(signing_key_from_pem("not a key").error(), jwt_errc::key_invalid);
  EXPECT_EQ(signing_key_from_pem("junk\n" + pem).error(), jwt_errc::key_invalid);
  EXPECT_EQ(signing_key_from_pem(pem + "junk\n").error(), jwt_errc::key_invalid);
  EXPECT_EQ(signing_key_from_pem(pem + pem).error(), jwt_errc::key_invalid);
  EXPECT_TRUE(signing_key_from_pem("\n\n" + pem + "\n\n"));
  EXPECT_EQ(public_key_from_pem(pem).error(), jwt_errc::key_invalid);  // a private key is not a PUBLIC KEY block
}

}  // namespace
}  // namespace gatehouse
