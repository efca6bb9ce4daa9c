#include "jwt/key_encryption.hpp"

#include "jwt/base64url.hpp"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

MasterKey key_of(std::uint8_t fill) {
  std::array<std::uint8_t, MasterKey::kSize> bytes{};
  bytes.fill(fill);
  return MasterKey(bytes);
}

constexpr std::string_view kPem = "-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----\n";

TEST(KeyEncryption, RoundTrips) {
  SeededRandom random(7);
  const std::string blob = encrypt_private_key(kPem, key_of(1), random).value();
  EXPECT_EQ(decrypt_private_key(blob, key_of(1)).value(), kPem);
}

TEST(KeyEncryption, BlobIsV1Base64urlOfNonceCiphertextAndTag) {
  SeededRandom random(7);
  const std::string blob = encrypt_private_key(kPem, key_of(1), random).value();
  ASSERT_TRUE(blob.starts_with("v1:"));
  const std::string raw = base64url_decode(std::string_view(blob).substr(3)).value();
  EXPECT_EQ(raw.size(), 12 + kPem.size() + 16);
  EXPECT_EQ(blob.find("PRIVATE"), std::string::npos);
}

TEST(KeyEncryption, UsesAFreshNonceEachTime) {
  SeededRandom random(7);
  const std::string a = encrypt_private_key(kPem, key_of(1), random).value();
  const std::string b = encrypt_private_key(kPem, key_of(1), random).value();
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(0, 3 + 16), b.substr(0, 3 + 16));  // the nonce is the first 12 bytes
}

TEST(KeyEncryption, RoundTripsAnEmptyPlaintext) {
  SeededRandom random(7);
  EXPECT_EQ(decrypt_private_key(encrypt_private_key("", key_of(1), random).value(), key_of(1)).value(), "");
}

TEST(KeyEncryption, FailsCleanlyWithTheWrongKey) {
  SeededRandom random(7);
  const std::string blob = encrypt_private_key(kPem, key_of(1), random).value();
  auto r = decrypt_private_key(blob, key_of(2));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), jwt_errc::key_decrypt_failed);
}

TEST(KeyEncryption, FailsCleanlyWithTheWrongContext) {
  SeededRandom random(7);
  const std::string blob = encrypt_private_key(kPem, key_of(1), random, "kid-a").value();
  EXPECT_TRUE(decrypt_private_key(blob, key_of(1), "kid-a"));
  EXPECT_EQ(decrypt_private_key(blob, key_of(1), "kid-b").error(), jwt_errc::key_decrypt_failed);
  EXPECT_EQ(decrypt_private_key(blob, key_of(1)).error(), jwt_errc::key_decrypt_failed);
}

// Every bit of nonce, ciphertext and tag is authenticated.
TEST(KeyEncryption, DetectsEveryTamperedBit) {
  SeededRandom random(7);
  const std::string blob = encrypt_private_key(kPem, key_of(1), random).value();
  const std::string raw = base64url_decode(std::string_view(blob).substr(3)).value();
  for (std::size_t bit = 0; bit < raw.size() * 8; ++bit) {
    std::string tampered = raw;
    tampered[bit / 8] = static_cast<char>(tampered[bit / 8] ^ (1 << (bit % 8)));
    auto r = decrypt_private_key("v1:" + base64url_encode(tampered), key_of(1));
    ASSERT_FALSE(r) << bit;
    EXPECT_EQ(r.error(), jwt_errc::key_decrypt_failed) << bit;
  }
}

TEST(KeyEncryption, DetectsTruncationAndExtension) {
  SeededRandom random(7);
  const std::string blob = encrypt_private_key(kPem, key_of(1), random).value();
  const std::string raw = base64url_decode(std::string_view(blob).substr(3)).value();
  EXPECT_EQ(decrypt_private_key("v1:" + base64url_encode(raw.substr(0, raw.size() - 1)), key_of(1)).error(),
            jwt_errc::key_decrypt_failed);
  EXPECT_EQ(decrypt_private_key("v1:" + base64url_encode(raw + "x"), key_of(1)).error(),
            jwt_errc::key_decrypt_failed);
}

TEST(KeyEncryption, APurposeOpensOnlyItsOwnBlobs) {
  SeededRandom random(7);
  const std::string blob = seal_with_master_key("s3cret", key_of(1), random, "gatehouse.webhook-secret.v1", "a").value();
  EXPECT_EQ(open_with_master_key(blob, key_of(1), "gatehouse.webhook-secret.v1", "a").value(), "s3cret");
  EXPECT_EQ(open_with_master_key(blob, key_of(1), "gatehouse.signing-key.v1", "a").error(), jwt_errc::key_decrypt_failed);
  EXPECT_EQ(decrypt_private_key(blob, key_of(1), "a").error(), jwt_errc::key_decrypt_failed);
  // The signing keys' wrappers are the same construction under their purpose: old blobs still open.
  const std::string key_blob = encrypt_private_key(kPem, key_of(1), random, "kid").value();
  EXPECT_EQ(open_with_master_key(key_blob, key_of(1), "gatehouse.signing-key.v1", "kid").value(), kPem);
}

TEST(KeyEncryption, RejectsMalformedBlobs) {
  const std::string too_short = "v1:" + std::string(36, 'A');  // 27 bytes: less than nonce + tag
  for (const std::string& blob : {std::string(), std::string("v1:"), std::string("v2:AAAA"), std::string("V1:AAAA"),
                                  std::string("AAAA"), std::string("v1:AAAA"), std::string("v1:not base64!"),
                                  too_short}) {
    auto r = decrypt_private_key(blob, key_of(1));
    ASSERT_FALSE(r) << blob;
    EXPECT_EQ(r.error(), jwt_errc::key_blob_malformed) << blob;
  }
}

}  // namespace
}  // namespace gatehouse
