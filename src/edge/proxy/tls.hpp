#pragma once
// TLS contexts: the listener's (certificate chain and key from PEM files, swappable
// at run time) and the one used towards https origins (system roots, peer verified).
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

namespace gatehouse::edge {

using TlsContextPtr = std::shared_ptr<boost::asio::ssl::context>;

// Builds a TLS 1.2+ server context from a PEM certificate chain and a PEM private key.
// On failure returns null and sets *error to a message naming the file and the problem.
TlsContextPtr make_server_tls(const std::string& cert_file, const std::string& key_file, std::string* error);

// A TLS 1.2+ client context that verifies the origin's certificate against the system
// roots, plus the PEM bundle `extra_ca_file` when not empty (private CAs, tests).
TlsContextPtr make_client_tls(const std::string& extra_ca_file, std::string* error);

// Per connection to an origin: SNI (for names, not IP literals) and the name or IP the
// certificate must match (RFC 6125, no partial wildcards).
bool prepare_client_ssl(SSL* ssl, std::string_view host);

// The listener's current context. Thread contract: `current()` from any thread (each
// new connection takes one reference for its lifetime); `replace()` from any thread;
// connections already established keep the context they started with.
class ServerTls {
 public:
  explicit ServerTls(TlsContextPtr initial) : current_(std::move(initial)) {}
  TlsContextPtr current() const { return current_.load(std::memory_order_acquire); }
  void replace(TlsContextPtr next) { current_.store(std::move(next), std::memory_order_release); }

 private:
  std::atomic<TlsContextPtr> current_;
};

}  // namespace gatehouse::edge
