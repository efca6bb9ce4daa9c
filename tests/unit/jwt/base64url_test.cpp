#include "jwt/base64url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse {
namespace {

// RFC 4648 §10 test vectors, without the padding that base64url in JWS omits.
TEST(Base64url, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(std::string_view("")), "");
  EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64url_encode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64url_encode(std::string_view("foob")), "Zm9vYg");
  EXPECT_EQ(base64url_encode(std::string_view("fooba")), "Zm9vYmE");
  EXPECT_EQ(base64url_encode(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64url, DecodesRfc4648Vectors) {
  EXPECT_EQ(base64url_decode("").value(), "");
  EXPECT_EQ(base64url_decode("Zg").value(), "f");
  EXPECT_EQ(base64url_decode("Zm8").value(), "fo");
  EXPECT_EQ(base64url_decode("Zm9v").value(), "foo");
  EXPECT_EQ(base64url_decode("Zm9vYg").value(), "foob");
  EXPECT_EQ(base64url_decode("Zm9vYmE").value(), "fooba");
  EXPECT_EQ(base64url_decode("Zm9vYmFy").value(), "foobar");
}

// RFC 4648 §5: '-' and '_' replace '+' and '/'.
TEST(Base64url, UsesTheUrlSafeAlphabet) {
  const std::string bytes{'\xfb', '\xff', '\xbf'};
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_").value(), bytes);
  // RFC 7515 Appendix C's example.
  const std::string rfc7515{'\x03', '\xec', '\xff', '\xe0', '\x01', '\xef'};
  EXPECT_EQ(base64url_encode(rfc7515), "A-z_4AHv");
}

TEST(Base64url, RoundTripsEveryByteValueAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= bytes.size(); ++len) {
    const std::string part = bytes.substr(bytes.size() - len);
    const std::string text = base64url_encode(part);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(base64url_decode(text).value(), part) << len;
  }
}

TEST(Base64url, RejectsPadding) {
  for (const char* text : {"Zg==", "Zg=", "Zm8=", "Zm9v====", "="}) {
    auto r = base64url_decode(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error(), jwt_errc::bad_base64) << text;
  }
}

TEST(Base64url, RejectsCharactersOutsideTheAlphabet) {
  for (const char* text : {"Zm+v", "Zm/v", "Zm9 v", "Zm9v\n", " Zm9v", "Zm.v", "Zm9\xc3\xa9", "Zm9%"}) {
    auto r = base64url_decode(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error(), jwt_errc::bad_base64) << text;
  }
  EXPECT_EQ(base64url_decode(std::string_view("Zm\0v", 4)).error(), jwt_errc::bad_base64);
}

TEST(Base64url, RejectsImpossibleLengths) {
  for (const char* text : {"Z", "Zm9vY", "Zm9vYmFyZ"}) {
    EXPECT_EQ(base64url_decode(text).error(), jwt_errc::bad_base64) << text;
  }
}

// RFC 4648 §3.5: the unused bits of the last character must be zero, so that each byte
// string has one encoding ("Zh" would also decode to "f" in a lax decoder).
TEST(Base64url, RejectsNonCanonicalTrailingBits) {
  for (const char* text : {"Zh", "Zi", "Zv", "Zm9", "Zm-", "Zm9vYh", "Zm9vYmF"}) {
    EXPECT_EQ(base64url_decode(text).error(), jwt_errc::bad_base64) << text;
  }
  EXPECT_TRUE(base64url_decode("Zg"));
  EXPECT_TRUE(base64url_decode("Zm8"));
}

}  // namespace
}  // namespace gatehouse
