#pragma once
// One client connection: reads request heads (limits, deadlines, RFC 9112 checks),
// asks the Gate, and answers or forwards; keep-alive until the client, a timeout or
// stop() ends it. Owns only lifetime, deadlines and limits (the decisions are the
// Gate's, the proxying the Forwarder's).
//
// Thread contract: lives on one edge thread; run() is its only coroutine.
// close_if_idle() and force_close() are called on that thread by the worker.
#include "edge/gate.hpp"
#include "edge/proxy/body_io.hpp"
#include "edge/proxy/forwarder.hpp"
#include "edge/proxy/hop_by_hop.hpp"
#include "edge/proxy/tls.hpp"
#include "edge/proxy/worker_env.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/intrusive/list_hook.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gatehouse::edge {

class Session : public boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
 public:
  // `tls` set: the connection speaks TLS with this context (held for its lifetime).
  Session(WorkerEnv& env, boost::asio::ip::tcp::socket socket, TlsContextPtr tls);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  boost::asio::awaitable<void> run();

  // stop(): a connection waiting for a request is closed now; one in a request
  // finishes it and closes afterwards.
  void close_if_idle();
  // stop() deadline passed: close the client and origin connections now.
  void force_close();

 private:
  enum class HeadResult { ok, closed, refused };

  boost::asio::awaitable<HeadResult> read_head();
  boost::asio::awaitable<ForwardOutcome> handle_request();
  boost::asio::awaitable<ForwardOutcome> answer(const http::Response& r, const RequestHead& head);
  boost::asio::awaitable<ForwardOutcome> refuse(proxy_errc e, const RequestHead* head);
  boost::asio::awaitable<void> close(bool linger);
  const RequestHead& build_head(std::string_view target);

  WorkerEnv& env_;
  TlsContextPtr tls_context_;
  Stream stream_;
  Deadline deadline_;  // after stream_: destroyed first
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  ConnectionTokens tokens_;
  std::vector<HeaderRef> header_refs_;
  RequestHead head_;
  std::string out_;
  std::string peer_ip_;
  ClientConnection client_;
  Forwarder forwarder_;
  proxy_errc refused_{};
  bool idle_ = true;  // waiting for the first byte of a request (or in the TLS handshake)
  bool first_request_ = true;
};

}  // namespace gatehouse::edge
