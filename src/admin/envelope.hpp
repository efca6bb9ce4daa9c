#pragma once
// The Cloudflare v4 envelope (compat.md §1.1):
// {"success", "errors":[{"code","message"}], "messages":[], "result"[, "result_info"]}.
#include "core/error.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

#include <boost/json/value.hpp>

namespace gatehouse::admin {

http::Response ok(boost::json::value result, int status = 200);
http::Response ok_page(boost::json::array items, PageRequest page, std::int64_t total_count);
http::Response fail(const Error& e);

}  // namespace gatehouse::admin
