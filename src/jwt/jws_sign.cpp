#include "jwt/jws_sign.hpp"

#include "jwt/base64url.hpp"
#include "jwt/rs256.hpp"

#include <boost/json/serialize.hpp>

namespace gatehouse {

JwtResult<std::string> sign_jwt(const SigningKey& key, const boost::json::object& payload) {
  boost::json::object header;
  header["alg"] = "RS256";
  header["kid"] = key.kid();
  header["typ"] = "JWT";
  std::string token = base64url_encode(boost::json::serialize(header));
  token.push_back('.');
  token += base64url_encode(boost::json::serialize(payload));
  auto signature = sign_rs256_signature(key.pkey(), token);
  if (!signature) return signature.error();
  token.push_back('.');
  token += base64url_encode(*signature);
  if (token.size() > kMaxTokenBytes) return jwt_errc::too_large;
  return token;
}

}  // namespace gatehouse
