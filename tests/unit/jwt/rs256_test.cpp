#include "jwt/rs256.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace gatehouse {
namespace {

using testing::test_key;

// RFC 7515 Appendix A.2: RSASSA-PKCS1-v1_5 is deterministic, so signing the RFC's
// signing input with the RFC's key must give the RFC's signature byte for byte.
constexpr std::string_view kA2SigningInput =
    "eyJhbGciOiJSUzI1NiJ9"
    "."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr std::string_view kA2Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9"
    "CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_"
    "dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0"
    "igcN_IoypGlUPQGe77Rw";

TEST(Rs256, SignsTheRfc7515A2ExampleExactly) {
  auto key = signing_key_from_pem(testing::kRfc7515A2PrivateKeyPem);
  ASSERT_TRUE(key);
  auto signature = sign_rs256_signature(key->pkey(), kA2SigningInput);
  ASSERT_TRUE(signature);
  EXPECT_EQ(base64url_encode(*signature), kA2Signature);
}

TEST(Rs256, VerifiesTheRfc7515A2Example) {
  auto key = signing_key_from_pem(testing::kRfc7515A2PrivateKeyPem);
  ASSERT_TRUE(key);
  const std::string signature = base64url_decode(kA2Signature).value();
  EXPECT_TRUE(verify_rs256_signature(key->pkey(), kA2SigningInput, signature));
  EXPECT_FALSE(verify_rs256_signature(key->pkey(), std::string(kA2SigningInput) + " ", signature));
}

TEST(Rs256, RejectsASignatureOfTheWrongLength) {
  const std::string signature = sign_rs256_signature(test_key().pkey(), "m").value();
  ASSERT_EQ(signature.size(), 256u);
  EXPECT_TRUE(verify_rs256_signature(test_key().pkey(), "m", signature));
  EXPECT_FALSE(verify_rs256_signature(test_key().pkey(), "m", ""));
  EXPECT_FALSE(verify_rs256_signature(test_key().pkey(), "m", signature.substr(1)));
  EXPECT_FALSE(verify_rs256_signature(test_key().pkey(), "m", std::string(1, '\0') + signature));
}

TEST(Rs256, RejectsTheWrongKeyAndNonRsaKeys) {
  const std::string signature = sign_rs256_signature(test_key().pkey(), "m").value();
  EXPECT_FALSE(verify_rs256_signature(testing::other_key().pkey(), "m", signature));
  EXPECT_FALSE(verify_rs256_signature(nullptr, "m", signature));
  PkeyPtr ec(EVP_EC_gen("P-256"));
  EXPECT_FALSE(verify_rs256_signature(ec.get(), "m", signature));
  EXPECT_EQ(sign_rs256_signature(ec.get(), "m").error(), jwt_errc::key_invalid);
}

// Independent check of the bytes: the `openssl` command line verifies a JWT issued by
// sign_jwt (its signing input and its decoded signature) with the exported public PEM.
TEST(Rs256, OpensslCommandLineVerifiesOurJwt) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl command line";
  const std::string token = sign_jwt(test_key(), testing::service_token_claims()).value();
  const auto dot = token.rfind('.');
  const std::string input = token.substr(0, dot);
  std::string signature = base64url_decode(std::string_view(token).substr(dot + 1)).value();

  char dir_template[] = "/tmp/gh-jwt-openssl-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::filesystem::path dir(dir_template);
  std::ofstream(dir / "pub.pem") << public_key_pem(test_key().pkey()).value();
  std::ofstream(dir / "msg.bin", std::ios::binary) << input;
  std::ofstream(dir / "sig.bin", std::ios::binary) << signature;
  signature[100] = static_cast<char>(signature[100] ^ 0x01);
  std::ofstream(dir / "bad.bin", std::ios::binary) << signature;

  const std::string base = "openssl dgst -sha256 -verify " + (dir / "pub.pem").string() + " -signature ";
  const std::string msg = " " + (dir / "msg.bin").string() + " >/dev/null 2>&1";
  const int good = std::system((base + (dir / "sig.bin").string() + msg).c_str());
  const int bad = std::system((base + (dir / "bad.bin").string() + msg).c_str());
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(WIFEXITED(good) && WEXITSTATUS(good) == 0);
  EXPECT_TRUE(WIFEXITED(bad) && WEXITSTATUS(bad) != 0);
}

}  // namespace
}  // namespace gatehouse
