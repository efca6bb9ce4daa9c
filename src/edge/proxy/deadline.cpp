#include "edge/proxy/deadline.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>

namespace gatehouse::edge {

namespace asio = boost::asio;

// Shared with the timer's handler so that a wake-up after the owner is gone is harmless.
struct Deadline::State {
  explicit State(const asio::any_io_executor& ex, asio::ip::tcp::socket& s) : timer(ex), socket(&s) {}
  asio::steady_timer timer;
  clock::time_point read = clock::time_point::max();
  clock::time_point write = clock::time_point::max();
  clock::time_point wake = clock::time_point::max();  // when the pending wait ends; max: none
  bool expired = false;
  asio::ip::tcp::socket* socket;  // null once the owner is gone

  clock::time_point next() const { return std::min(read, write); }

  static void schedule(const std::shared_ptr<State>& s) {
    const auto at = s->next();
    if (at >= s->wake || s->socket == nullptr || s->expired) return;  // an earlier wake-up is pending
    s->wake = at;
    s->timer.expires_at(at);  // cancels a later pending wait, whose handler then returns
    s->timer.async_wait([s](const boost::system::error_code& ec) { on_wake(s, ec); });
  }

  static void on_wake(const std::shared_ptr<State>& s, const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted || s->socket == nullptr) return;
    s->wake = clock::time_point::max();
    if (s->next() <= clock::now()) {
      s->expired = true;
      boost::system::error_code ignored;
      s->socket->close(ignored);
      return;
    }
    schedule(s);  // the deadline moved while we slept
  }
};

Deadline::Deadline(const asio::any_io_executor& ex, asio::ip::tcp::socket& socket)
    : state_(std::make_shared<State>(ex, socket)) {}

Deadline::~Deadline() {
  state_->socket = nullptr;
  state_->timer.cancel();
}

void Deadline::set_read(clock::time_point at) {
  state_->read = at;
  State::schedule(state_);
}

void Deadline::set_write(clock::time_point at) {
  state_->write = at;
  State::schedule(state_);
}

void Deadline::disarm_read() { state_->read = clock::time_point::max(); }
void Deadline::disarm_write() { state_->write = clock::time_point::max(); }
bool Deadline::expired() const { return state_->expired; }

}  // namespace gatehouse::edge
