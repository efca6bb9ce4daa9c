#pragma once
// Responses the transport writes itself: the Gate's answers (Verdict::respond) and
// transport errors (400/413/431/501/502/504 via Gate::transport_error).
#include "edge/gate.hpp"
#include "edge/proxy/deadline.hpp"
#include "edge/proxy/errc.hpp"
#include "edge/proxy/stream.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace gatehouse::edge {

// The Gate's page for a transport error; a plain-text fallback if the Gate throws.
http::Response make_error_response(Gate& gate, proxy_errc e, const RequestHead* head);

// Writes `r` (no body for a HEAD request) with the head built in `scratch`.
boost::asio::awaitable<boost::system::error_code> send_local_response(Stream& stream, Deadline& deadline,
                                                                      std::string& scratch, const http::Response& r,
                                                                      bool head_request, bool keep_alive,
                                                                      unsigned client_version,
                                                                      Deadline::clock::duration timeout);

}  // namespace gatehouse::edge
