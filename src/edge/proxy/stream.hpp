#pragma once
// A client or origin connection: plain TCP, or TLS over TCP, behind one type so that
// the session and forwarding code is written (and compiled) once instead of once per
// combination of client and origin transports.
//
// TLS goes through beast::ssl_stream, which flattens small buffer sequences into one
// TLS record (asio::ssl::stream would write one record per buffer of a gather write).
//
// Thread contract: as for any Asio stream, the owning io_context thread only; at most
// one read and one write outstanding at a time.
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <optional>
#include <utility>

namespace gatehouse::edge {

class Stream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  explicit Stream(boost::asio::ip::tcp::socket socket) : plain_(std::move(socket)) {}
  Stream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls)
      : plain_(socket.get_executor()), tls_(std::in_place, std::move(socket), tls) {}
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  executor_type get_executor() { return plain_.get_executor(); }
  bool is_tls() const { return tls_.has_value(); }
  boost::beast::ssl_stream<boost::asio::ip::tcp::socket>& tls() { return *tls_; }
  boost::asio::ip::tcp::socket& socket() { return tls_ ? tls_->next_layer() : plain_; }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& b) {
          if (tls_)
            tls_->async_read_some(b, std::move(handler));
          else
            plain_.async_read_some(b, std::move(handler));
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& b) {
          if (tls_)
            tls_->async_write_some(b, std::move(handler));
          else
            plain_.async_write_some(b, std::move(handler));
        },
        token, buffers);
  }

  // Closes the TCP socket (no TLS close_notify): pending operations fail.
  void close() {
    boost::system::error_code ignored;
    socket().close(ignored);
  }
  // Cancels pending operations but keeps the socket open.
  void cancel() {
    boost::system::error_code ignored;
    socket().cancel(ignored);
  }

 private:
  boost::asio::ip::tcp::socket plain_;  // unused (closed) when tls_ is set
  std::optional<boost::beast::ssl_stream<boost::asio::ip::tcp::socket>> tls_;
};

}  // namespace gatehouse::edge
