#include "edge/credentials.hpp"

#include <gtest/gtest.h>

using namespace gatehouse::edge;

namespace {
Credentials extract(std::vector<HeaderRef> headers, std::string_view single = "", bool strict = false) {
  RequestHead h;
  h.headers = headers;
  return extract_credentials(h, single, strict);
}
}  // namespace

TEST(Credentials, HeaderNamesAreCaseInsensitive) {
  auto c = extract({{"cf-access-client-id", "id.access"}, {"CF-ACCESS-CLIENT-SECRET", "s"}});
  EXPECT_EQ(c.kind, Credentials::Kind::service_token);
  EXPECT_EQ(c.client_id, "id.access");
}

TEST(Credentials, EmptyValuesAreIncomplete) {
  EXPECT_EQ(extract({{"CF-Access-Client-Id", ""}, {"CF-Access-Client-Secret", "s"}}).error, "credentials_incomplete");
}

TEST(Credentials, TokenHeadersTakePrecedenceOverACookie) {
  auto c = extract({{"CF-Access-Client-Id", "i"}, {"CF-Access-Client-Secret", "s"}, {"Cookie", "CF_Authorization=j"}});
  EXPECT_EQ(c.kind, Credentials::Kind::service_token);
}

TEST(Credentials, TheSingleHeaderAndTheTwoHeadersTogetherAreAmbiguous) {
  auto c = extract({{"CF-Access-Client-Id", "i"}, {"CF-Access-Client-Secret", "s"},
                    {"X-Creds", R"({"cf-access-client-id":"i","cf-access-client-secret":"s"})"}},
                   "X-Creds");
  EXPECT_EQ(c.error, "credentials_ambiguous");
}

TEST(Credentials, StrictModeIgnoresCookiesButNotTheTokenHeader) {
  EXPECT_EQ(extract({{"Cookie", "CF_Authorization=j"}}, "", true).kind, Credentials::Kind::none);
  EXPECT_EQ(extract({{"cf-access-token", "j"}}, "", true).kind, Credentials::Kind::jwt);
}

TEST(Credentials, CookieParsingToleratesSpacingAndQuotes) {
  auto c = extract({{"Cookie", "a=1;CF_Authorization=\"abc\" ; b=2"}});
  EXPECT_EQ(c.kind, Credentials::Kind::jwt);
  EXPECT_EQ(c.jwt, "abc");
  EXPECT_TRUE(c.jwt_from_cookie);
  // The same value twice is not ambiguous.
  EXPECT_TRUE(extract({{"Cookie", "CF_Authorization=x"}, {"Cookie", "CF_Authorization=x"}}).error.empty());
}
