#include "test_support.hpp"

#include <stdexcept>

namespace gatehouse::testing {
namespace {

SigningKey generate_or_throw() {
  auto key = generate_rsa_key();
  if (!key) throw std::runtime_error("RSA key generation failed");
  return std::move(*key);
}

}  // namespace

const SigningKey& test_key() {
  static const SigningKey key = generate_or_throw();
  return key;
}

const SigningKey& other_key() {
  static const SigningKey key = generate_or_throw();
  return key;
}

const std::string_view kRfc7515A2PrivateKeyPem = R"(
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO
jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL
aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn
juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5
ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf
toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg
VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW
PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G
O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj
kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6
XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB
4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K
pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr
0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE
lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6
kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP
rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw
kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp
5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2
9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/
evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG
yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj
OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2
tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3
ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56
03k2+ZQwVK0JKSHuLFkuQ3U=
-----END PRIVATE KEY-----)";

KeyLookup lookup(const SigningKey* extra) {
  return [extra](std::string_view kid) -> EVP_PKEY* {
    if (kid == test_key().kid()) return test_key().pkey();
    if (extra != nullptr && kid == extra->kid()) return extra->pkey();
    return nullptr;
  };
}

boost::json::object service_token_claims() {
  const std::int64_t now = seconds_since_epoch(kNow);
  boost::json::object claims;
  claims["type"] = "app";
  claims["aud"] = boost::json::array{kAudience};
  claims["iss"] = kIssuer;
  claims["iat"] = now;
  claims["nbf"] = now;
  claims["exp"] = now + 3600;
  claims["sub"] = "";
  claims["common_name"] = "0123456789abcdef0123456789abcdef.access";
  claims["service_token_id"] = "3f1e7b2a-9c4d-4e8f-a1b2-c3d4e5f60718";
  claims["identity_nonce"] = "n0nce";
  return claims;
}

std::string craft_token(std::string_view header_json, std::string_view payload_json, const SigningKey& key) {
  std::string input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  auto signature = sign_rs256_signature(key.pkey(), input);
  if (!signature) throw std::runtime_error("signing failed");
  return input + "." + base64url_encode(*signature);
}

std::string standard_header(const SigningKey& key) {
  return R"({"alg":"RS256","kid":")" + key.kid() + R"(","typ":"JWT"})";
}

}  // namespace gatehouse::testing
