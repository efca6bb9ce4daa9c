// The alert email: RFC 5322 headers, quoted-printable body, RFC 2047 subject, and the
// text that says which token, when, and how to refresh it (never a secret).
#include "notify/alert_email.hpp"
#include "notify/email_format.hpp"
#include "service/alert_payload.hpp"

#include <gtest/gtest.h>

namespace gatehouse::notify {
namespace {

using namespace std::chrono;

const Time kNow = from_micros(1'800'000'000'000'000);  // Fri, 15 Jan 2027 08:00:00 UTC

ServiceToken token() {
  ServiceToken t;
  t.id = "11111111-2222-4333-8444-555555555555";
  t.account_id = "acct";
  t.name = "ci-deploy";
  t.client_id = "0123456789abcdef0123456789abcdef.access";
  t.expires_at = kNow + hours(72);
  t.secret_hash = "deadbeef";
  return t;
}

AlertPolicy policy() {
  AlertPolicy p;
  p.id = "pol";
  p.account_id = "acct";
  p.name = "ops";
  p.alert_type = std::string(kExpiringServiceTokenAlert);
  return p;
}

TEST(EmailFormat, DateIsRfc5322InUtc) {
  EXPECT_EQ(rfc5322_date(kNow), "Fri, 15 Jan 2027 08:00:00 +0000");
}

TEST(EmailFormat, HeadersAndBody) {
  EmailMessage m{"a@example.com", "Hello", "line one\nline two", "msg-1", kNow};
  const std::string text = format_email(m, "Gatehouse <alerts@example.org>");
  EXPECT_NE(text.find("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(text.find("From: Gatehouse <alerts@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: a@example.com\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: Hello\r\n"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <msg-1@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\nline one\r\nline two\r\n"), std::string::npos);
  EXPECT_EQ(text.find("\n\n"), std::string::npos);  // no bare LF line ends
}

TEST(EmailFormat, AddressOfAMailbox) {
  EXPECT_EQ(address_of("Gatehouse <alerts@example.org>"), "alerts@example.org");
  EXPECT_EQ(address_of(" alerts@example.org "), "alerts@example.org");
}

TEST(EmailFormat, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("caf\xc3\xa9"), "caf=C3=A9");
  EXPECT_EQ(quoted_printable("trailing "), "trailing=20");
  EXPECT_EQ(quoted_printable(".\nx"), "=2E\r\nx");
  const std::string long_line(100, 'x');
  const std::string qp = quoted_printable(long_line);
  EXPECT_EQ(qp, std::string(75, 'x') + "=\r\n" + std::string(25, 'x'));
}

TEST(EmailFormat, NonAsciiSubjectsAreEncodedWords) {
  EXPECT_EQ(encode_header_text("plain"), "plain");
  EXPECT_EQ(encode_header_text("caf\xc3\xa9"), "=?UTF-8?B?Y2Fmw6k=?=");
  // Long: several words, none splitting a UTF-8 sequence, folded.
  std::string many;
  for (int i = 0; i < 40; ++i) many += "\xc3\xa9";
  const std::string enc = encode_header_text(many);
  EXPECT_NE(enc.find("?=\r\n =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(enc.find("\r\n=?"), std::string::npos);
}

TEST(EmailFormat, HeaderValuesCannotStartANewHeader) {
  EmailMessage m{"a@example.com", "x\r\nBcc: evil@example.com", "b", "id", kNow};
  const std::string text = format_email(m, "alerts@example.org");
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
}

TEST(AlertEmail, SaysWhichTokenWhenAndHowToRefresh) {
  const auto payload = expiring_token_payload(policy(), token(), kNow, "corr-1");
  const auto c = render_alert_email(payload, kNow + hours(1));
  EXPECT_EQ(c.subject, "[Gatehouse] Service token \"ci-deploy\" expires in 2 days 23 hours");
  for (const std::string& needle :
       {std::string("ci-deploy"), std::string("0123456789abcdef0123456789abcdef.access"),
        std::string("2027-01-18T08:00:00Z"), std::string("in 2 days 23 hours"),
        std::string("gatehouse token refresh 11111111-2222-4333-8444-555555555555"),
        std::string("Access > Service Auth > Service Tokens"), std::string("corr-1")})
    EXPECT_NE(c.body.find(needle), std::string::npos) << needle;
  EXPECT_EQ(c.body.find("deadbeef"), std::string::npos);
  EXPECT_EQ(c.body.find("cfast_"), std::string::npos);
}

TEST(AlertEmail, AfterTheExpirySaysExpired) {
  const auto payload = expiring_token_payload(policy(), token(), kNow, "c");
  const auto c = render_alert_email(payload, kNow + hours(75));
  EXPECT_EQ(c.subject, "[Gatehouse] Service token \"ci-deploy\" expired 3 hours ago");
}

TEST(AlertEmail, TestMessages) {
  AlertPolicy p = policy();
  const auto payload = test_payload("acct", &p, nullptr, kNow, "c");
  const auto c = render_alert_email(payload, kNow);
  EXPECT_EQ(c.subject, "[Gatehouse] Test notification: ops");
  EXPECT_NE(c.body.find("test notification"), std::string::npos);
}

TEST(AlertPayload, GenericShape) {
  const auto p = expiring_token_payload(policy(), token(), kNow, "corr");
  for (const char* key : {"name", "text", "data", "ts", "account_id", "policy_id", "policy_name", "alert_type",
                          "alert_correlation_id"})
    EXPECT_TRUE(p.contains(key)) << key;
  EXPECT_EQ(p.at("ts").as_int64(), 1'800'000'000);
  const auto& d = p.at("data").as_object();
  EXPECT_EQ(d.at("id").as_string(), "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(d.at("name").as_string(), "ci-deploy");
  EXPECT_EQ(d.at("client_id").as_string(), "0123456789abcdef0123456789abcdef.access");
  EXPECT_EQ(d.at("expires_at").as_string(), "2027-01-18T08:00:00Z");
}

TEST(AlertPayload, RelativeTime) {
  EXPECT_EQ(relative_time(kNow + seconds(1), kNow), "in 1 second");
  EXPECT_EQ(relative_time(kNow + minutes(90), kNow), "in 1 hour 30 minutes");
  EXPECT_EQ(relative_time(kNow + hours(24 * 7), kNow), "in 7 days");
  EXPECT_EQ(relative_time(kNow - hours(2), kNow), "2 hours ago");
}

}  // namespace
}  // namespace gatehouse::notify
