// `gatehouse serve`: wiring of the store, the admin API, the edge and the background
// worker, and the lifecycle (first start, readiness line, SIGHUP reloads TLS, graceful
// stop on SIGTERM/SIGINT).
#include "admin/api.hpp"
#include "audit/access_log.hpp"
#include "audit/metrics.hpp"
#include "audit/token_inactivity.hpp"
#include "cli/commands.hpp"
#include "cli/data_dir.hpp"
#include "crypto/crypto.hpp"
#include "http/server.hpp"
#include "jwt/master_key.hpp"
#include "server/alerting_runtime.hpp"
#include "server/background.hpp"
#include "server/demo.hpp"
#include "server/edge_runtime.hpp"
#include "policy/ip.hpp"
#include "service/json_views.hpp"
#include "service/organization.hpp"
#include "service/signing_keys.hpp"
#include "store/sqlite_access_log.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/object.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace gatehouse::cli {

namespace {

std::string url_host(const std::string& bound) {
  // Show a usable URL for wildcard binds.
  if (bound.rfind("0.0.0.0:", 0) == 0) return "127.0.0.1" + bound.substr(7);
  if (bound.rfind("[::]:", 0) == 0) return "[::1]" + bound.substr(4);
  return bound;
}

std::string port_of(const std::string& bound) { return bound.substr(bound.rfind(':') + 1); }

// Threads that run admin API handlers. Most of their time is spent waiting (fsync,
// edge rebuild), not computing, so more threads than cores: 16 concurrent clients'
// creations then share one commit instead of queueing for one each.
constexpr std::size_t kAdminHandlerThreads = 16;

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

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

// The organization's service_token_inactivity rule (audit/token_inactivity.hpp), after
// the last-seen times in memory are on disk.
void clean_up_inactive_tokens(Services& services, audit::AccessLog& access_log) {
  access_log.flush();
  auto done = audit::apply_token_inactivity(services);
  if (!done) {
    std::cerr << "gatehouse: service token inactivity check failed: " << done.error().message << std::endl;
    return;
  }
  for (const auto& o : *done) {
    if (o.error)
      std::cerr << "gatehouse: could not " << o.action << " inactive service token \"" << o.token_name << "\" ("
                << o.token_id << "): " << o.error->message << std::endl;
    else
      std::cout << "gatehouse: service token \"" << o.token_name << "\" (" << o.token_id << ") "
                << (o.action == "delete" ? "deleted" : "disabled") << ": " << o.reason << std::endl;
  }
}

}  // namespace

int run_serve(const ServeFlags& flags) {
  ServeConfig config;
  std::unique_ptr<SqliteStore> store;
  // A second connection for the edge's reloads: in WAL mode it reads beside the
  // writer, so a reload never waits for a group commit's fsync, nor a commit (and the
  // API's other reads) for a reload. Every change is committed before it asks for a
  // reload, so a reload started afterwards sees it.
  std::unique_ptr<SqliteStore> edge_reads;
  SystemClock clock;
  OsRandom random;
  std::optional<MasterKey> master;
  std::unique_ptr<server::AlertingRuntime> alerting;  // docs/alerts.md
  std::unique_ptr<SqliteAccessLogStore> access_log_store;
  try {
    config = load_serve_config(flags);
    store = open_or_create(config.data_dir);
    edge_reads = open_existing(config.data_dir);
    // Before the alert tables are opened: their migration encrypts the plain-text
    // webhook secrets of an older data dir under this key.
    master.emplace(load_master_key(std::filesystem::path(config.data_dir) / "master.key", random));
    alerting = server::AlertingRuntime::open(*store, *master, clock, random, config.smtp, config.alerts);
    access_log_store = must(SqliteAccessLogStore::open(*store), "opening the access log");
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }

  // The authentication log and last seen (docs/logs.md): fed by the edge's threads,
  // written by its own thread; stopped after the edge so nothing is lost.
  audit::AccessLogOptions log_options;
  log_options.retention = config.log_retention;
  log_options.coalesce_window = config.log_coalesce;
  if (config.log_stdout)
    log_options.mirror = [](std::string_view lines) {
      std::fwrite(lines.data(), 1, lines.size(), stdout);
      std::fflush(stdout);
    };
  audit::AccessLog access_log(*access_log_store, *store, clock, std::move(log_options));
  edge::GateOptions gate_options;
  gate_options.access_log = &access_log;
  if (config.trusted_proxies) {
    std::vector<Cidr> proxies;
    for (const auto& text : *config.trusted_proxies) {
      proxies.push_back(*parse_cidr(text));  // checked by load_serve_config
    }
    gate_options.trusted_proxies = std::move(proxies);
  }

  edge::EdgeOptions edge_options;
  edge_options.listen = config.edge_listen;
  edge_options.threads = config.edge_threads;
  edge_options.tls_cert_file = config.tls_cert;
  edge_options.tls_key_file = config.tls_key;
  server::EdgeRuntime edge_runtime(*edge_reads, *master, clock, edge_options, gate_options);

  Services services{*store, clock, random};
  services.master_key = &*master;
  services.alerting = &alerting->alerting();
  std::optional<Bootstrap> boot;
  Account account;
  try {
    boot = must(bootstrap_if_empty(services), "first start failed");
    auto accounts = must(store->list_accounts(), "reading accounts");
    if (accounts.empty()) throw std::runtime_error("the data dir has no account");
    account = accounts.front();
    for (const auto& a : accounts) {
      const Organization org = must(get_organization(services, a.id), "setting up the organization");
      must(ensure_signing_key(services, *master, org), "creating the signing key");
    }
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }
  // From here on every change is in force at the edge before the API answers.
  services.changed = [&edge_runtime] { edge_runtime.rebuild(); };
  services.token_changed = [&edge_runtime](std::string_view account_id, std::string_view token_id) {
    edge_runtime.token_changed(std::string(account_id), std::string(token_id));
  };
  edge_runtime.rebuild();

  boost::asio::io_context io;
  boost::asio::io_context demo_io;
  admin::AdminApi api(services);
  api.set_access_log(access_log_store.get());
  api.set_metrics([&access_log] { return audit::prometheus_text(access_log.stats()); });
  access_log.start();
  http::Limits admin_limits;
  admin_limits.body_bytes = config.admin_body_limit;
  // Handlers block (a change waits for its group commit's fsync and for the edge to
  // publish it), so they run on their own threads: up to this many requests overlap
  // and their writes share one transaction (docs/operations.md, Admin API concurrency).
  admin_limits.handler_threads = kAdminHandlerThreads;
  std::unique_ptr<http::Server> admin_server, echo_origin;
  std::optional<server::DemoSetup> demo;
  try {
    admin_server = std::make_unique<http::Server>(
        io, config.admin_listen, [&api](const http::Request& r) { return api.handle(r); },
        &admin::AdminApi::transport_error, admin_limits);
    edge_runtime.start();
    if (config.demo) {
      echo_origin = server::start_echo_origin(demo_io);
      demo = server::prepare_demo(services, account.id, "http://" + echo_origin->local_address());
    }
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    edge_runtime.stop();
    return 1;
  }
  std::thread demo_thread;
  if (echo_origin) demo_thread = std::thread([&demo_io] { demo_io.run(); });

  const bool tls = !config.tls_cert.empty();
  const std::string admin_addr = admin_server->local_address();
  const std::string edge_addr = edge_runtime.local_address();
  const std::string admin_url = "http://" + url_host(admin_addr);
  // Where the dashboard's writes must come from (admin/admin_origin.hpp): fixed here,
  // once the listener is bound (port 0 is known only now), before it serves a request.
  // The admin listener speaks plain HTTP; TLS is a proxy's job (an https public_url).
  api.set_origins(config.admin_public_url.empty() ? admin::origins_for_listener(admin_addr, /*tls=*/false)
                                                  : admin::origins_for_public_url(config.admin_public_url));
  std::string accepted;
  for (const auto& o : api.origins().accepted) accepted += (accepted.empty() ? "" : ", ") + o;
  const std::string edge_url = std::string(tls ? "https://" : "http://") + url_host(edge_addr);

  std::cout << "Gatehouse 0.1.0\n"
            << "  data dir   " << std::filesystem::absolute(config.data_dir).string() << " (SQLite, WAL)\n"
            << "  account    " << account.id << "\n"
            << "  admin API  " << admin_url << "/client/v4\n"
            << "  dashboard  " << (config.admin_public_url.empty() ? admin_url : config.admin_public_url) << "/\n"
            << "  origins    the dashboard accepts writes from " << accepted
            << (config.admin_public_url.empty() ? " (set [admin] public_url for another)" : "") << "\n"
            << "  edge       " << edge_url << "\n"
            << "  JWKS       " << edge_url << "/cdn-cgi/access/certs\n";
  if (!tls)
    std::cerr << "gatehouse: WARNING: the edge listener " << edge_addr
              << " serves plain HTTP (no --tls-cert/--tls-key): use it only for development or behind a "
                 "TLS-terminating load balancer\n";
  if (boot) {
    const auto& token = boot->admin_token.token;
    std::cout << "\nFirst start: created account " << account.id << " and an admin API token (scope edit).\n"
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
  if (demo) {
    const std::string demo_url = std::string(tls ? "https://" : "http://") + demo->host + ":" + port_of(edge_addr);
    std::cout << "\nDemo: the app \"demo\" (host " << demo->host << ") protects a built-in echo origin ("
              << demo->origin_url << ")\nwith a Service Auth policy for the service token \"demo\" "
              << "(its secret is re-issued at every start).\n\n"
              << "  # refused: no credentials (403)\n"
              << "  curl -i " << demo_url << "/hello\n\n"
              << "  # allowed: the origin sees Cf-Access-Jwt-Assertion, never the secret\n"
              << "  curl -i " << demo_url << "/hello \\\n"
              << "    -H 'CF-Access-Client-Id: " << demo->client_id << "' \\\n"
              << "    -H 'CF-Access-Client-Secret: " << demo->client_secret << "'\n";
  }
  try {
    write_runtime_file(runtime_path(config.data_dir), account.id, admin_addr, edge_addr);
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: cannot write " << runtime_path(config.data_dir) << ": " << e.what() << "\n";
    edge_runtime.stop();
    return 1;
  }

  server::BackgroundWorker worker(std::chrono::hours(1), [&] {
    if (auto r = rotate_due_keys(services, *master); !r)
      std::cerr << "gatehouse: scheduled key rotation failed: " << r.error().message << std::endl;
    clean_up_inactive_tokens(services, access_log);
    edge_runtime.rebuild();
  });
  clean_up_inactive_tokens(services, access_log);
  worker.start();
  alerting->start();  // scans at once, then every [alerts] interval

  boost::asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& ec,
                                                                               int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      if (!tls) {
        std::cout << "gatehouse: SIGHUP: no TLS configured, nothing to reload" << std::endl;
      } else if (auto err = edge_runtime.reload_tls()) {
        std::cerr << "gatehouse: SIGHUP: TLS reload failed, keeping the current certificate: " << *err << std::endl;
      } else {
        std::cout << "gatehouse: SIGHUP: TLS certificate reloaded for new connections" << std::endl;
      }
      signals.async_wait(on_signal);
      return;
    }
    std::cout << "gatehouse: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
              << " received: finishing requests in flight, then stopping" << std::endl;
    signals.cancel();
    admin_server->stop();
  };
  signals.async_wait(on_signal);
  admin_server->start();
  std::cout << "gatehouse: ready" << std::endl;

  io.run();  // returns when the admin server has drained after a signal

  edge_runtime.stop();
  worker.stop();
  alerting->stop();
  access_log.stop();  // writes what the edge logged up to its last request
  if (echo_origin) {
    echo_origin->stop();
    demo_io.stop();
    demo_thread.join();
  }
  std::error_code ignored;
  std::filesystem::remove(runtime_path(config.data_dir), ignored);
  admin_server.reset();
  echo_origin.reset();
  services.changed = nullptr;
  services.token_changed = nullptr;
  edge_reads.reset();
  store.reset();  // closes the database (checkpoints the WAL)
  std::cout << "gatehouse: stopped" << std::endl;
  return 0;
}

}  // namespace gatehouse::cli
