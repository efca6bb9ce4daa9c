// `gatehouse serve`: wiring of the store, the admin API and the listeners, and the
// lifecycle (first start, readiness line, graceful stop on SIGTERM/SIGINT).
#include "admin/api.hpp"
#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "crypto/crypto.hpp"
#include "edge/placeholder.hpp"
#include "http/server.hpp"
#include "service/json_views.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/object.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace gatehouse::cli {

namespace {

std::string url_host(const std::string& bound) {
  // Show a usable URL for wildcard binds.
  if (bound.rfind("0.0.0.0:", 0) == 0) return "127.0.0.1" + bound.substr(7);
  if (bound.rfind("[::]:", 0) == 0) return "[::1]" + bound.substr(4);
  return bound;
}

void write_runtime_file(const std::string& path, const std::string& account_id, const std::string& admin,
                        const std::string& edge) {
  boost::json::object o{{"pid", static_cast<std::int64_t>(::getpid())},
                        {"account_id", account_id},
                        {"admin_listen", admin},
                        {"edge_listen", edge}};
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << serialize(o) << "\n";
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

int run_serve(const ServeFlags& flags) {
  ServeConfig config;
  std::unique_ptr<SqliteStore> store;
  try {
    config = load_serve_config(flags);
    store = open_or_create(config.data_dir);
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }
  SystemClock clock;
  OsRandom random;
  Services services{*store, clock, random};

  auto boot = bootstrap_if_empty(services);
  if (!boot) {
    std::cerr << "gatehouse: first start failed: " << boot.error().message << "\n";
    return 1;
  }
  auto accounts = store->list_accounts();
  if (!accounts || accounts->empty()) {
    std::cerr << "gatehouse: the data dir has no account\n";
    return 1;
  }
  const Account& account = accounts->front();

  boost::asio::io_context io;
  admin::AdminApi api(services);
  http::Limits admin_limits;
  admin_limits.body_bytes = config.admin_body_limit;
  std::unique_ptr<http::Server> admin_server, edge_server;
  try {
    admin_server = std::make_unique<http::Server>(
        io, config.admin_listen, [&api](const http::Request& r) { return api.handle(r); },
        &admin::AdminApi::transport_error, admin_limits);
    edge_server = std::make_unique<http::Server>(io, config.edge_listen, &edge::placeholder_handle,
                                                 &edge::placeholder_error);
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }
  const std::string admin_addr = admin_server->local_address();
  const std::string edge_addr = edge_server->local_address();
  const std::string admin_url = "http://" + url_host(admin_addr);

  std::cout << "Gatehouse 0.1.0\n"
            << "  data dir   " << std::filesystem::absolute(config.data_dir).string() << " (SQLite, WAL)\n"
            << "  account    " << account.id << "\n"
            << "  admin API  " << admin_url << "/client/v4\n"
            << "  edge       http://" << url_host(edge_addr) << "\n";
  std::cerr << "gatehouse: WARNING: the edge listener " << edge_addr
            << " serves plain HTTP (no TLS certificate configured): use it only for development or behind a "
               "TLS-terminating load balancer\n";
  if (*boot) {
    const auto& token = (*boot)->admin_token.token;
    std::cout << "\nFirst start: created account " << account.id
              << " and an admin API token (scope edit).\n"
              << "It is shown only this once; store it now:\n\n  " << token << "\n\n"
              << "Create a service token:\n"
              << "  curl -s -X POST " << admin_url << "/client/v4/accounts/" << account.id
              << "/access/service_tokens \\\n"
              << "    -H 'Authorization: Bearer " << token << "' -H 'Content-Type: application/json' \\\n"
              << "    -d '{\"name\":\"ci-deploy\",\"duration\":\"8760h\"}'\n";
  } else {
    std::cout << "\nMore admin API tokens: gatehouse admin-token create --data-dir " << config.data_dir
              << " --name NAME --scope edit\n";
  }
  try {
    write_runtime_file(runtime_path(config.data_dir), account.id, admin_addr, edge_addr);
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: cannot write " << runtime_path(config.data_dir) << ": " << e.what() << "\n";
    return 1;
  }

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    std::cout << "gatehouse: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
              << " received: finishing requests in flight, then stopping" << std::endl;
    admin_server->stop();
    edge_server->stop();
  });
  admin_server->start();
  edge_server->start();
  std::cout << "gatehouse: ready" << std::endl;

  io.run();

  std::error_code ignored;
  std::filesystem::remove(runtime_path(config.data_dir), ignored);
  admin_server.reset();
  edge_server.reset();
  store.reset();  // closes the database (checkpoints the WAL)
  std::cout << "gatehouse: stopped" << std::endl;
  return 0;
}

}  // namespace gatehouse::cli
