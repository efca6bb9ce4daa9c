#pragma once
// `serve --demo` (what `make run` uses): a built-in echo origin on loopback, protected
// by the app "demo" (host "localhost") with a Service Auth policy for the service
// token "demo". The demo token's secret is re-issued at every start (rotated, the old
// one revoked at once) so that the curl lines printed can always be tried.
#include "http/server.hpp"
#include "service/services.hpp"

#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace gatehouse::server {

struct DemoSetup {
  std::string origin_url;
  std::string client_id;
  std::string client_secret;
  std::string host = "localhost";
};

// Starts the echo origin on `io` (127.0.0.1, a free port).
std::unique_ptr<http::Server> start_echo_origin(boost::asio::io_context& io);

// Creates or updates the demo app and token; throws std::runtime_error at start-up.
DemoSetup prepare_demo(Services& s, const std::string& account_id, const std::string& origin_url);

}  // namespace gatehouse::server
