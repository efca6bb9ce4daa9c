#pragma once
// Versioned schema: migration N brings the database from user_version N-1 to N.
// Append new migrations; never edit one that has shipped.
#include <span>
#include <string_view>

namespace gatehouse {
std::span<const std::string_view> sqlite_migrations();
}
