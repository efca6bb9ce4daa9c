#include "edge/proxy/local_response.hpp"

#include "edge/proxy/body_io.hpp"
#include "edge/proxy/head_writer.hpp"

namespace gatehouse::edge {

http::Response make_error_response(Gate& gate, proxy_errc e, const RequestHead* head) {
  const int status = proxy_status(e);
  try {
    return gate.transport_error(status, proxy_reason_slug(e), proxy_message(e), head);
  } catch (...) {
    // The Gate's error page failed too: answer anyway, the client must not hang.
    http::Response r;
    r.status = status;
    r.set("Content-Type", "text/plain; charset=utf-8");
    r.body = std::string(proxy_message(e)) + "\n";
    return r;
  }
}

boost::asio::awaitable<boost::system::error_code> send_local_response(Stream& stream, Deadline& deadline,
                                                                      std::string& scratch, const http::Response& r,
                                                                      bool head_request, bool keep_alive,
                                                                      unsigned client_version,
                                                                      Deadline::clock::duration timeout) {
  write_local_response_head(scratch, r, keep_alive, client_version);
  BufferList list;
  list.add(scratch);
  if (!head_request && !status_has_no_body(static_cast<unsigned>(r.status))) list.add(r.body);
  auto [ec] = co_await write_all(stream, deadline, list, timeout);
  co_return ec;
}

}  // namespace gatehouse::edge
