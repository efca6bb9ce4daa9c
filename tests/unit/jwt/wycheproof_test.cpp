// Project Wycheproof (C2SP) RSASSA-PKCS1-v1_5 / SHA-256 / 2048-bit vectors, run through
// verify_rs256_signature: every "valid" vector must verify and every "invalid" one must
// not; "acceptable" ones (legacy encodings) may go either way and are counted.
// The data lives outside the project ($GATEHOUSE_SHARED_TESTDATA) and is never copied in.
#include "jwt/rs256.hpp"
#include "jwt/rsa_key.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace gatehouse {
namespace {

namespace json = boost::json;

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string_view text(const json::value& v) {
  const json::string& s = v.as_string();
  return {s.data(), s.size()};
}

TEST(Wycheproof, RsaSignature2048Sha256) {
  const char* dir = std::getenv("GATEHOUSE_SHARED_TESTDATA");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "GATEHOUSE_SHARED_TESTDATA is not set";
  const std::filesystem::path file =
      std::filesystem::path(dir) / "wycheproof" / "rsa_signature_2048_sha256_test.json";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file.string() << " is absent";

  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  json::error_code ec;
  const json::value doc = json::parse(buffer.str(), ec);
  ASSERT_FALSE(ec) << ec.message();

  int valid = 0, invalid = 0, acceptable = 0, acceptable_accepted = 0, total = 0;
  for (const json::value& group : doc.at("testGroups").as_array()) {
    const auto der = from_hex(text(group.at("publicKeyDer")));
    ASSERT_TRUE(der);
    auto key = public_key_from_der(*der);
    ASSERT_TRUE(key) << "cannot load the group's public key";
    // The PEM form of the same key loads to the same key.
    auto pem_key = public_key_from_pem(text(group.at("publicKeyPem")));
    ASSERT_TRUE(pem_key);
    EXPECT_EQ(EVP_PKEY_eq(key->get(), pem_key->get()), 1);

    for (const json::value& test : group.at("tests").as_array()) {
      ++total;
      const auto id = test.at("tcId").as_int64();
      const std::string comment(text(test.at("comment")));
      const auto msg = from_hex(text(test.at("msg")));
      const auto sig = from_hex(text(test.at("sig")));
      ASSERT_TRUE(msg && sig) << "tcId " << id;
      const bool accepted = verify_rs256_signature(key->get(), *msg, *sig);
      const std::string_view result = text(test.at("result"));
      if (result == "valid") {
        ++valid;
        EXPECT_TRUE(accepted) << "tcId " << id << " (" << comment << ") is valid but was rejected";
      } else if (result == "invalid") {
        ++invalid;
        EXPECT_FALSE(accepted) << "tcId " << id << " (" << comment << ") is invalid but was accepted";
      } else {
        ASSERT_EQ(result, "acceptable") << "tcId " << id;
        ++acceptable;
        if (accepted) ++acceptable_accepted;
      }
    }
  }

  EXPECT_EQ(total, doc.at("numberOfTests").as_int64());
  EXPECT_GT(valid, 0);
  EXPECT_GT(invalid, 0);
  std::cout << "Wycheproof rsa_signature_2048_sha256: " << total << " vectors: " << valid
            << " valid (all accepted), " << invalid << " invalid (all rejected), " << acceptable
            << " acceptable (" << acceptable_accepted << " accepted, " << acceptable - acceptable_accepted
            << " rejected)\n";
  RecordProperty("valid", valid);
  RecordProperty("invalid", invalid);
  RecordProperty("acceptable", acceptable);
  RecordProperty("acceptable_accepted", acceptable_accepted);
}

}  // namespace
}  // namespace gatehouse
