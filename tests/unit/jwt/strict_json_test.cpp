#include "jwt/strict_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse {
namespace {

jwt_errc parse_error(std::string_view text) {
  auto r = parse_json_object_strict(text);
  if (r) return jwt_errc{};
  return static_cast<jwt_errc>(r.error().value());
}

TEST(StrictJson, ParsesAnObject) {
  auto r = parse_json_object_strict(R"({"a":1,"b":[true,null,"x"],"c":{"d":-2.5}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("a").as_int64(), 1);
  EXPECT_EQ(r->at("c").at("d").as_double(), -2.5);
}

TEST(StrictJson, RejectsADuplicateTopLevelMember) {
  EXPECT_EQ(parse_error(R"({"alg":"none","alg":"RS256"})"), jwt_errc::duplicate_key);
}

TEST(StrictJson, RejectsADuplicateNestedMember) {
  EXPECT_EQ(parse_error(R"({"a":{"x":1,"y":2,"x":3}})"), jwt_errc::duplicate_key);
  EXPECT_EQ(parse_error(R"({"a":[{"x":1},{"x":1,"x":1}]})"), jwt_errc::duplicate_key);
}

// Names are compared after unescaping: "\u0061" is "a".
TEST(StrictJson, RejectsADuplicateSpelledWithEscapes) {
  EXPECT_EQ(parse_error(R"({"a":1,"\u0061":2})"), jwt_errc::duplicate_key);
}

// Boost.JSON would read these as +/-infinity, a value JSON cannot write back.
TEST(StrictJson, RejectsNumbersBeyondTheRangeOfADouble) {
  EXPECT_EQ(parse_error(R"({"exp":1e400})"), jwt_errc::bad_json);
  EXPECT_EQ(parse_error(R"({"a":[-1e309]})"), jwt_errc::bad_json);
  EXPECT_TRUE(parse_json_object_strict(R"({"exp":1e300,"tiny":1e-400})"));
}

TEST(StrictJson, AllowsTheSameNameInSiblingAndNestedObjects) {
  EXPECT_TRUE(parse_json_object_strict(R"({"x":{"x":1},"y":{"x":2},"z":[{"x":1},{"x":2}]})"));
}

TEST(StrictJson, RejectsNonObjects) {
  for (const char* text : {"[]", "1", "\"s\"", "null", "true"}) {
    EXPECT_EQ(parse_error(text), jwt_errc::not_an_object) << text;
  }
}

TEST(StrictJson, RejectsWhatRfc8259DoesNotAllow) {
  for (const char* text : {"", "{", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":1}{}", "{'a':1}", "{\"a\":1 /* c */}",
                           "{\"a\":\"\xff\"}", "{\"a\":01}", "{\"a\":NaN}"}) {
    EXPECT_EQ(parse_error(text), jwt_errc::bad_json) << text;
  }
}

TEST(StrictJson, RejectsDeepNesting) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  EXPECT_EQ(parse_error(deep), jwt_errc::bad_json);
}

}  // namespace
}  // namespace gatehouse
