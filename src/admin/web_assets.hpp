#pragma once
// The dashboard's files (web/), compiled into the binary by embed_web.cmake so that
// `gatehouse serve` needs nothing on disk and no CDN. The table is generated.
#include <span>
#include <string_view>

namespace gatehouse::admin {

struct WebAsset {
  std::string_view path;          // relative to web/, e.g. "index.html", "assets/app.js"
  std::string_view content_type;  // with charset for text
  std::string_view etag;          // quoted, from the SHA-256 of the content
  std::string_view body;
};

std::span<const WebAsset> web_assets();

}  // namespace gatehouse::admin
