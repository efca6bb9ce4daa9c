#include "edge/proxy/tls.hpp"

#include <boost/asio/ip/address.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace gatehouse::edge {

namespace ssl = boost::asio::ssl;

namespace {

void harden(ssl::context& ctx) {
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_ctrl(ctx.native_handle(), SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, nullptr);
}

}  // namespace

TlsContextPtr make_server_tls(const std::string& cert_file, const std::string& key_file, std::string* error) {
  auto fail = [&](std::string why) -> TlsContextPtr {
    if (error) *error = std::move(why);
    return nullptr;
  };
  if (cert_file.empty() || key_file.empty()) return fail("TLS needs both a certificate file and a key file");
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  harden(*ctx);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) return fail("TLS certificate file \"" + cert_file + "\": " + ec.message());
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return fail("TLS key file \"" + key_file + "\": " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    return fail("TLS key file \"" + key_file + "\" does not match the certificate in \"" + cert_file + "\"");
  return ctx;
}

TlsContextPtr make_client_tls(const std::string& extra_ca_file, std::string* error) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  harden(*ctx);
  boost::system::error_code ec;
  ctx->set_default_verify_paths(ec);
  if (!ec && !extra_ca_file.empty()) ctx->load_verify_file(extra_ca_file, ec);
  if (ec) {
    if (error) *error = "origin CA file \"" + extra_ca_file + "\": " + ec.message();
    return nullptr;
  }
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

bool prepare_client_ssl(SSL* ssl, std::string_view host) {
  const std::string name(host);
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (!ec) return X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) == 1;  // no SNI for IP literals (RFC 6066 §3)
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  // SSL_set_tlsext_host_name is a macro with a C cast; this is its expansion.
  return SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(name.c_str())) == 1 &&
         SSL_set1_host(ssl, name.c_str()) == 1;
}

}  // namespace gatehouse::edge
