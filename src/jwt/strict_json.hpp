#pragma once
// JSON parsing for untrusted JOSE segments: RFC 8259 only (no comments, no trailing
// commas, valid UTF-8), a bounded depth, and duplicate member names rejected
// (RFC 7515 §5.2 step 4: a parser that keeps the last duplicate would let two
// implementations read different claims from the same bytes).
#include "jwt/errc.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace gatehouse {

// jwt_errc::bad_json, duplicate_key (at any depth) or not_an_object.
JwtResult<boost::json::object> parse_json_object_strict(std::string_view text);

}  // namespace gatehouse
