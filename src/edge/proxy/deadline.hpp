#pragma once
// Read and write deadlines for one socket, enforced by a single steady_timer.
//
// Why not beast::tcp_stream: it arms (and cancels) a timer around every I/O operation.
// Here, arming a deadline is a store; the timer wakes at the earliest armed deadline
// and only re-arms itself when a deadline has moved. On expiry it closes the socket,
// so the pending and every later operation fail; `expired()` tells the owner why.
//
// Thread contract: the socket's io_context thread only. The Deadline must be
// destroyed before the socket it watches (declare it after the socket).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>

namespace gatehouse::edge {

class Deadline {
 public:
  using clock = std::chrono::steady_clock;

  Deadline(const boost::asio::any_io_executor& ex, boost::asio::ip::tcp::socket& socket);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void arm_read(clock::duration d) { set_read(clock::now() + d); }
  void arm_write(clock::duration d) { set_write(clock::now() + d); }
  void set_read(clock::time_point at);
  void set_write(clock::time_point at);
  void disarm_read();
  void disarm_write();
  void disarm() {
    disarm_read();
    disarm_write();
  }

  // True once a deadline passed and the socket was closed because of it.
  bool expired() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace gatehouse::edge
