// http::Server with Limits::handler_threads: requests on different connections are
// handled at the same time; on one keep-alive connection they are answered in order.
#include "http/server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

Response error_response(int status, std::string_view message) {
  Response r;
  r.status = status;
  r.body = std::string(message);
  return r;
}

// Runs a Server with `threads` handler threads on its own io_context thread.
struct Running {
  asio::io_context io;
  std::unique_ptr<Server> server;
  std::thread thread;

  Running(Handler handler, std::size_t threads) {
    Limits limits;
    limits.handler_threads = threads;
    server = std::make_unique<Server>(io, "127.0.0.1:0", std::move(handler), &error_response, limits);
    server->start();
    thread = std::thread([this] { io.run(); });
  }
  ~Running() {
    asio::post(io, [this] { server->stop(); });
    thread.join();
    server.reset();
  }
};

struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  boost::beast::flat_buffer buffer;

  explicit Client(std::uint16_t port) { socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)); }
  void send(const std::string& target) {
    bhttp::request<bhttp::string_body> req(bhttp::verb::get, target, 11);
    req.set(bhttp::field::host, "localhost");
    req.keep_alive(true);
    bhttp::write(socket, req);
  }
  std::string receive() {
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket, buffer, res);
    return res.body();
  }
};

Response echo(const Request& req) {
  Response r;
  r.body = req.target;
  return r;
}

TEST(ServerPool, RequestsOnDifferentConnectionsAreHandledAtTheSameTime) {
  constexpr int kClients = 4;
  // Every handler waits until all have started: with one handler at a time this
  // would never finish.
  std::latch all_inside(kClients);
  Running running(
      [&](const Request& req) {
        all_inside.arrive_and_wait();
        return echo(req);
      },
      kClients);
  std::vector<std::thread> clients;
  std::vector<std::string> answers(kClients);
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&, i] {
      Client c(running.server->port());
      c.send("/c" + std::to_string(i));
      answers[i] = c.receive();
    });
  for (auto& t : clients) t.join();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(answers[i], "/c" + std::to_string(i));
}

TEST(ServerPool, PipelinedRequestsOnOneConnectionAreAnsweredInOrder) {
  std::atomic<int> concurrent = 0;
  std::atomic<int> most = 0;
  Running running(
      [&](const Request& req) {
        const int now = ++concurrent;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --concurrent;
        return echo(req);
      },
      8);
  Client c(running.server->port());
  constexpr int kRequests = 50;
  for (int i = 0; i < kRequests; ++i) c.send("/r" + std::to_string(i));  // all sent before any answer is read
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(c.receive(), "/r" + std::to_string(i));
  EXPECT_EQ(most, 1);  // one connection: one request handled at a time
}

TEST(ServerPool, WithoutHandlerThreadsTheHandlerRunsOnTheIoThread) {
  std::thread::id handler_thread;
  Running running(
      [&](const Request& req) {
        handler_thread = std::this_thread::get_id();
        return echo(req);
      },
      0);
  Client c(running.server->port());
  c.send("/x");
  EXPECT_EQ(c.receive(), "/x");
  EXPECT_EQ(handler_thread, running.thread.get_id());
}

}  // namespace
}  // namespace gatehouse::http
