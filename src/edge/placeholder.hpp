#pragma once
// The edge listener before applications exist: every request is answered with
// "no application matches", so the listener is real and testable from day one.
#include "http/message.hpp"

namespace gatehouse::edge {

http::Response placeholder_handle(const http::Request& req);
http::Response placeholder_error(int status, std::string_view message);

}  // namespace gatehouse::edge
