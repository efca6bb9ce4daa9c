#pragma once
// What the transport refuses before the Gate sees a request (RFC 9112), as values.
//
// Beast's parser already refuses: control characters (CR, LF, NUL, ...) in values,
// bare CR, invalid names, Content-Length values that differ or are not numbers,
// Transfer-Encoding after Content-Length or after a chunked Transfer-Encoding, and a
// Content-Length after a chunked Transfer-Encoding. It accepts, and we refuse here:
// obs-fold (Beast unfolds it), identical duplicate Content-Lengths ("5, 5" or two
// fields), Transfer-Encoding codings that do not end in chunked (Beast then reads no
// body: a smuggling vector), Content-Length after a non-chunked Transfer-Encoding,
// Transfer-Encoding on HTTP/1.0, and a missing or repeated Host.
#include "edge/proxy/errc.hpp"

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::edge {

// The proxy_errc for an error Beast's request parser reported while reading a head.
// `partial` holds the fields parsed before the failing one (to tell a Content-Length /
// Transfer-Encoding conflict from a malformed value).
proxy_errc classify_parse_error(const boost::system::error_code& ec,
                                const boost::beast::http::request_header<>& partial);

// Checks a complete head. `raw` is the header bytes as received (for obs-fold, which
// the parser has already unfolded in the fields).
std::optional<proxy_errc> check_request_head(const boost::beast::http::request_header<>& head, std::string_view raw);

// One step of reading a request head (Session::read_head, tests/fuzz/request_head):
// gives `parser` the whole unread `buffer` and, once the head is complete, checks it.
// Beast consumes the request line and complete fields as they arrive, so a head that
// spans reads is in more than the last put's bytes: `taken` keeps the earlier steps'
// bytes (empty unless the head spans reads) so that the raw-byte checks (obs-fold)
// see all of it. Start each head with an empty `taken`.
// `header_limit` is the one the parser was given: Beast enforces it only while a head
// is incomplete, so a head that arrives whole in one read could pass it by the
// length of its request line (found by tests/fuzz/request_head); the step counts
// the complete head itself, so where the reads fall does not change the answer.
struct HeadStep {
  std::size_t consumed = 0;           // drop this much of `buffer`
  bool finished = false;              // the head is complete, or refused
  std::optional<proxy_errc> problem;  // set: refuse with this
};
HeadStep read_head_step(boost::beast::http::request_parser<boost::beast::http::buffer_body>& parser,
                        std::string_view buffer, std::string& taken, std::uint32_t header_limit);

// The origin-form target to forward: `target` itself when it starts with '/', the
// path part of an absolute-form target whose authority equals `host` (RFC 9112 §3.2.2
// requires servers to accept it), otherwise nothing (authority-form, asterisk-form,
// or an absolute URL for another host).
std::optional<std::string_view> origin_form_target(std::string_view target, std::string_view host);

}  // namespace gatehouse::edge
