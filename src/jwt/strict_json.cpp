#include "jwt/strict_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace gatehouse {
namespace {

namespace json = boost::json;

// Builds the value like boost::json::parser, and remembers the keys of every open
// object so that a repeated name stops the parse.
class StrictHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  bool duplicate = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    frames_.push_back(keys_.size());
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    keys_.resize(frames_.back());
    frames_.pop_back();
    st.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    for (std::size_t i = frames_.back(); i < keys_.size(); ++i) {
      if (keys_[i] == key_) {
        duplicate = true;
        ec = make_error_code(jwt_errc::duplicate_key);
        return false;
      }
    }
    keys_.push_back(std::move(key_));
    key_.clear();
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code& ec) {
    // Boost.JSON reads a number beyond double's range ("1e400") as infinity, which
    // no JSON text can hold: serialize() would write "Infinity". Refused, so that
    // what we accept is a JSON value (found by tests/fuzz/jwt).
    if (!std::isfinite(d)) {
      ec = make_error_code(jwt_errc::bad_json);
      return false;
    }
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  std::string key_;                  // the key being assembled from parts
  std::vector<std::string> keys_;    // keys of all open objects, innermost last
  std::vector<std::size_t> frames_;  // where each open object's keys start in keys_
};

}  // namespace

JwtResult<boost::json::object> parse_json_object_strict(std::string_view text) {
  json::parse_options options;
  options.max_depth = 16;  // JOSE headers and our claims are flat; deep nesting is an attack
  json::basic_parser<StrictHandler> parser(options);
  parser.handler().st.reset();
  json::error_code ec;
  const std::size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (parser.handler().duplicate) return jwt_errc::duplicate_key;
  if (ec || n != text.size() || !parser.done()) return jwt_errc::bad_json;
  json::value v = parser.handler().st.release();
  if (!v.is_object()) return jwt_errc::not_an_object;
  return std::move(v.get_object());
}

}  // namespace gatehouse
