#include "jwt/certificate.hpp"

#include "crypto/crypto.hpp"
#include "jwt/ossl.hpp"
#include "jwt/rsa_key.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <chrono>
#include <ctime>
#include <string>

namespace gatehouse {
namespace {

constexpr std::size_t kMaxCommonName = 64;  // RFC 5280 Appendix A: ub-common-name

std::time_t plus_ten_years(std::chrono::sys_seconds start) {
  using namespace std::chrono;
  const auto day = floor<days>(start);
  year_month_day ymd{day};
  ymd += years{10};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;  // 29 February → 28 February
  return system_clock::to_time_t(sys_days{ymd} + (start - day));
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// Positive, 127 bits at most, never zero (RFC 5280 §4.1.2.2).
bool set_serial(X509* cert, std::string_view kid, std::time_t not_before) {
  const std::string digest = sha256_hex(std::string(kid) + ":" + std::to_string(not_before));
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, digest.substr(0, 32).c_str()) == 0) return false;
  BignumPtr serial(raw);
  BN_clear_bit(serial.get(), 127);
  if (BN_is_zero(serial.get())) BN_set_word(serial.get(), 1);
  return BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr;
}

}  // namespace

JwtResult<std::string> self_signed_certificate_pem(EVP_PKEY* key, std::string_view common_name, Time now) {
  if (common_name.empty() || common_name.size() > kMaxCommonName) return jwt_errc::bad_argument;
  if (!is_rs256_key(key)) return jwt_errc::key_invalid;
  auto kid = key_id(key);
  if (!kid) return kid.error();

  const auto start = std::chrono::floor<std::chrono::seconds>(now);
  const std::time_t not_before = std::chrono::system_clock::to_time_t(start);
  const std::time_t not_after = plus_ten_years(start);

  X509Ptr cert(X509_new());
  if (!cert) return jwt_errc::internal;
  X509_NAME* name = X509_get_subject_name(cert.get());  // owned by cert
  const bool ok =
      X509_set_version(cert.get(), X509_VERSION_3) == 1 && set_serial(cert.get(), *kid, not_before) &&
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before) != nullptr &&
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after) != nullptr &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) == 1 &&
      X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key) == 1 &&
      add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
      add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") &&
      add_extension(cert.get(), NID_subject_key_identifier, "hash") &&
      X509_sign(cert.get(), key, EVP_sha256()) > 0;
  if (!ok) {
    ERR_clear_error();
    return jwt_errc::internal;
  }

  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) return jwt_errc::internal;
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  if (n <= 0) return jwt_errc::internal;
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace gatehouse
