#include "jwt/certificate.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace gatehouse {
namespace {

using testing::kNow;
using testing::test_key;

X509Ptr parse(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string common_name(const X509_NAME* name) {
  char buf[256] = {};
  const int n = X509_NAME_get_text_by_NID(name, NID_commonName, buf, sizeof buf);
  return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
}

// ASN1_TIME compared with a time_t: 0 if equal.
int compare(const ASN1_TIME* t, std::time_t expected) {
  ASN1_TIME* e = ASN1_TIME_set(nullptr, expected);
  const int c = ASN1_TIME_compare(t, e);
  ASN1_TIME_free(e);
  return c;
}

TEST(Certificate, IsSelfSignedForTheAuthDomain) {
  const std::string pem = self_signed_certificate_pem(test_key().pkey(), "team.example.com", kNow).value();
  EXPECT_TRUE(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
  X509Ptr cert = parse(pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(common_name(X509_get_subject_name(cert.get())), "team.example.com");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_verify(cert.get(), test_key().pkey()), 1);
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(cert.get()), test_key().pkey()), 1);
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha256WithRSAEncryption);
}

TEST(Certificate, IsValidFromNowForTenYears) {
  const Time now = kNow + std::chrono::milliseconds(1500);  // fractions are dropped
  X509Ptr cert = parse(self_signed_certificate_pem(test_key().pkey(), "team.example.com", now).value());
  ASSERT_TRUE(cert);
  EXPECT_EQ(compare(X509_get0_notBefore(cert.get()), 1'767'225'601), 0);  // 2026-01-01T00:00:01Z
  EXPECT_EQ(compare(X509_get0_notAfter(cert.get()), 2'082'758'401), 0);   // 2036-01-01T00:00:01Z
}

TEST(Certificate, TenYearsFromA29FebruaryEndOn28February) {
  const Time leap = from_micros(1'709'164'800'000'000);  // 2024-02-29T00:00:00Z
  X509Ptr cert = parse(self_signed_certificate_pem(test_key().pkey(), "team.example.com", leap).value());
  ASSERT_TRUE(cert);
  EXPECT_EQ(compare(X509_get0_notAfter(cert.get()), 2'024'697'600), 0);  // 2034-02-28T00:00:00Z
}

TEST(Certificate, IsDeterministicForAKeyAndTime) {
  EXPECT_EQ(self_signed_certificate_pem(test_key().pkey(), "a.example", kNow).value(),
            self_signed_certificate_pem(test_key().pkey(), "a.example", kNow).value());
}

TEST(Certificate, RefusesCommonNamesX509CannotHold) {
  EXPECT_EQ(self_signed_certificate_pem(test_key().pkey(), "", kNow).error(), jwt_errc::bad_argument);
  EXPECT_EQ(self_signed_certificate_pem(test_key().pkey(), std::string(65, 'a'), kNow).error(),
            jwt_errc::bad_argument);
  EXPECT_TRUE(self_signed_certificate_pem(test_key().pkey(), std::string(64, 'a'), kNow));
}

}  // namespace
}  // namespace gatehouse
