// The edge's request-head checks (edge/proxy/request_checks.hpp) behind Beast's
// parser, fed as Session::read_head feeds them: bytes arrive in pieces and each piece
// goes through read_head_step, the session's own step (parser, then the checks).
//
// Input: the first byte sets the piece size (byte % 64 + 1; 0 = everything at once)
// and, with bit 6, a body limit of 1,000 bytes; the rest is what the client sends.
//
// Properties:
// - every refusal maps to a 4xx or 501 with a slug;
// - reading in pieces accepts exactly what reading everything at once accepts;
// - an accepted head, counted in the raw bytes by this target (not by Beast), has
//   exactly one Host on HTTP/1.1 (at most one on 1.0), at most one Content-Length
//   and no list in it, never both Content-Length and Transfer-Encoding, and no
//   obs-fold; with Transfer-Encoding, Beast reads the body chunked (no smuggling);
// - origin_form_target gives a suffix of the target that starts with '/': the target
//   itself in origin form, or the path of an absolute URL naming the Host.
#include "edge/proxy/body_io.hpp"
#include "edge/proxy/request_checks.hpp"
#include "fuzz_check.hpp"
#include "http/message.hpp"


#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

using namespace gatehouse;
using namespace gatehouse::edge;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::uint32_t kHeaderLimit = 4096;  // small, so that fuzzing reaches the 431 path

enum class Outcome { incomplete, accepted, refused };

struct Read {
  Outcome outcome = Outcome::incomplete;
  std::optional<proxy_errc> refusal;
  std::string raw;  // the bytes of the put that completed the head (all of it only in one read)
};

// Session::read_head without the socket: `piece` bytes arrive at a time, and each
// time read_head_step (the session's own step) gets the whole unread buffer.
Read read_head(RequestParser& parser, std::string_view input, std::size_t piece) {
  Read r;
  std::string buffer, taken;
  for (std::size_t at = 0; at < input.size();) {
    const std::size_t n_in = std::min(piece, input.size() - at);
    buffer.append(input.substr(at, n_in));
    at += n_in;
    const HeadStep step = read_head_step(parser, buffer, taken, kHeaderLimit);
    if (step.finished) {
      if (!step.problem) r.raw = buffer.substr(0, step.consumed);
      r.refusal = step.problem;
      r.outcome = step.problem ? Outcome::refused : Outcome::accepted;
      return r;
    }
    buffer.erase(0, step.consumed);
  }
  return r;
}

void configure(RequestParser& p, bool body_limit) {
  p.header_limit(kHeaderLimit);
  if (body_limit) p.body_limit(1000);
  else p.body_limit(boost::none);
}

struct RawCounts {
  std::size_t host = 0, content_length = 0, transfer_encoding = 0;
  bool fold = false, list_in_content_length = false;
};

// Our own reading of the header lines, independent of Beast's field table.
RawCounts count_raw(std::string_view raw) {
  RawCounts c;
  bool first = true;
  for (std::string_view rest = raw; !rest.empty();) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first || line.empty()) {
      first = false;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') c.fold = true;
    const auto colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    if (http::iequals(name, "host")) ++c.host;
    if (http::iequals(name, "transfer-encoding")) ++c.transfer_encoding;
    if (http::iequals(name, "content-length")) {
      ++c.content_length;
      if (colon != std::string_view::npos && line.find(',', colon) != std::string_view::npos)
        c.list_in_content_length = true;
    }
  }
  return c;
}

bool is_suffix(std::string_view part, std::string_view whole) {
  return part.size() <= whole.size() && part.data() == whole.data() + (whole.size() - part.size());
}

void check_accepted(const RequestParser& parser, const std::string& raw) {
  const auto& head = parser.get();
  const RawCounts c = count_raw(raw);
  FUZZ_CHECK(c.host == head.count(bhttp::field::host), "Beast counts the Host lines we count");
  if (head.version() >= 11) FUZZ_CHECK(c.host == 1, "an HTTP/1.1 head has exactly one Host");
  else FUZZ_CHECK(c.host <= 1, "an HTTP/1.0 head has at most one Host");
  FUZZ_CHECK(c.content_length <= 1 && !c.list_in_content_length, "at most one Content-Length, and no list");
  FUZZ_CHECK(c.transfer_encoding <= 1, "at most one Transfer-Encoding");
  FUZZ_CHECK(c.content_length == 0 || c.transfer_encoding == 0, "never Content-Length and Transfer-Encoding");
  FUZZ_CHECK(!c.fold, "no obs-fold");
  if (c.transfer_encoding == 1) {
    FUZZ_CHECK(head.version() >= 11, "Transfer-Encoding only on HTTP/1.1");
    FUZZ_CHECK(parser.chunked(), "with Transfer-Encoding the body is read chunked");
  }
  if (c.content_length == 1) FUZZ_CHECK(parser.content_length().has_value(), "a Content-Length frames the body");

  const std::string_view target = head.target();
  const auto host = head.find(bhttp::field::host);
  const std::string_view host_value = host == head.end() ? std::string_view() : std::string_view(host->value());
  const auto forward = origin_form_target(target, host_value);
  if (!forward) {
    FUZZ_CHECK(target.empty() || target.front() != '/', "an origin-form target is forwarded");
    return;
  }
  FUZZ_CHECK(!forward->empty() && forward->front() == '/', "the forwarded target starts with '/'");
  if (target.front() == '/') {
    FUZZ_CHECK(*forward == target, "an origin-form target is forwarded as received");
    return;
  }
  if (*forward != "/") FUZZ_CHECK(is_suffix(*forward, target), "the forwarded path is the URL's own path");
  const std::string_view scheme_rest =
      http::iequals(target.substr(0, 7), "http://") ? target.substr(7) : target.substr(8);
  FUZZ_CHECK(http::iequals(target.substr(0, 7), "http://") || http::iequals(target.substr(0, 8), "https://"),
             "only an http(s) absolute URL is turned into origin form");
  const std::string_view authority = scheme_rest.substr(0, scheme_rest.find_first_of("/?#"));
  FUZZ_CHECK(!host_value.empty() && http::iequals(authority, host_value), "the URL names the Host");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = (data[0] & 63) == 0 ? size : (data[0] & 63) + 1;
  const bool body_limit = (data[0] & 64) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  RequestParser pieces;
  configure(pieces, body_limit);
  const Read r = read_head(pieces, input, piece);
  RequestParser whole;
  configure(whole, body_limit);
  const Read once = read_head(whole, input, input.size() + 1);

  // Beast parses the request line of a first, partial put at once, but after a
  // need_more it waits for the whole head: so one read of an incomplete head may
  // already be refused where the pieces are still incomplete. What must never differ
  // is accepting: and two refusals may name different problems (431 or the first bad
  // line, depending on how far the parser got).
  if (once.outcome == Outcome::incomplete) FUZZ_CHECK(r.outcome == Outcome::incomplete, "no more from less");
  if (r.outcome != Outcome::incomplete) FUZZ_CHECK(r.outcome == once.outcome, "pieces and one read decide the same");
  if (r.refusal) {
    const int status = proxy_status(*r.refusal);
    FUZZ_CHECK((status >= 400 && status < 500) || status == 501, "a refused head is a 4xx or 501");
    FUZZ_CHECK(!proxy_reason_slug(*r.refusal).empty(), "a refusal has a slug");
  }
  // (The pieces' raw bytes are those of the last put only: Beast consumes the request
  // line and complete fields as they arrive. One read sees the whole head.)
  if (r.outcome == Outcome::accepted) check_accepted(pieces, once.raw);
  return 0;
}
