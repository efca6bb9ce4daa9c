// `gatehouse admin-token create|list|revoke`: work directly on the data dir (also
// while the server runs: SQLite WAL allows a second writer process), audited as "cli".
#include "cli/commands.hpp"
#include "cli/guarded.hpp"
#include "cli/data_dir.hpp"
#include "crypto/crypto.hpp"
#include "service/json_views.hpp"
#include "service/services.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <iostream>
#include <unistd.h>

namespace gatehouse::cli {

namespace {

Actor cli_actor() {
  const char* user = std::getenv("USER");
  return Actor{"cli", "uid:" + std::to_string(::getuid()), user ? user : "unknown"};
}

std::string pick_account(SqliteStore& store, const std::optional<std::string>& wanted) {
  auto accounts = store.list_accounts();
  if (!accounts) throw std::runtime_error(accounts.error().message);
  if (accounts->empty()) throw std::runtime_error("the data dir has no account yet; start gatehouse serve once");
  if (!wanted) return accounts->front().id;
  for (const auto& a : *accounts)
    if (a.id == *wanted) return a.id;
  throw std::runtime_error("no account with id \"" + *wanted + "\" in this data dir");
}


}  // namespace

int admin_token_create(const AdminTokenOptions& o) {
  return guarded([&] {
    auto scope = parse_scope(o.scope);
    if (!scope) {
      std::cerr << "gatehouse: --scope must be read or edit, not \"" << o.scope << "\"\n";
      return 2;
    }
    auto store = open_existing(o.data_dir);
    SystemClock clock;
    OsRandom random;
    Services s{*store, clock, random};
    std::optional<Time> expires;
    if (o.expires_in) {
      auto d = parse_duration(*o.expires_in);
      if (!d) throw std::runtime_error("--expires-in: " + d.error().message);
      expires = expiry_after(clock.now(), *d);
    }
    const std::string account = pick_account(*store, o.account_id);
    auto created = create_api_token(s, cli_actor(), account, o.name, *scope, expires);
    if (!created) throw std::runtime_error(created.error().message);
    if (o.json) {
      std::cout << serialize(boost::json::object{{"id", created->record.id},
                                                 {"name", created->record.name},
                                                 {"scope", to_string(created->record.scope)},
                                                 {"account_id", account},
                                                 {"token", created->token}})
                << "\n";
    } else {
      std::cout << "API token \"" << created->record.name << "\" (scope " << to_string(*scope) << ", id "
                << created->record.id << ") for account " << account << ":\n\n  " << created->token
                << "\n\nIt is shown only this once. Use it as: export GATEHOUSE_TOKEN=" << created->token << "\n";
    }
    return 0;
  });
}

int admin_token_list(const AdminTokenOptions& o) {
  return guarded([&] {
    auto store = open_existing(o.data_dir);
    const std::string account = pick_account(*store, o.account_id);
    auto tokens = store->list_api_tokens(account);
    if (!tokens) throw std::runtime_error(tokens.error().message);
    const Time now = SystemClock().now();
    if (o.json) {
      boost::json::array a;
      for (const auto& t : *tokens) a.push_back(to_json(t, now));
      std::cout << serialize(a) << "\n";
      return 0;
    }
    if (tokens->empty()) {
      std::cout << "No API tokens.\n";
      return 0;
    }
    // CREATED is RFC 3339 with microseconds: up to 27 characters.
    std::printf("%-36s  %-6s  %-8s  %-27s  %s\n", "ID", "SCOPE", "STATUS", "CREATED", "NAME");
    for (const auto& t : *tokens) {
      const char* st = t.revoked_at ? "revoked" : (t.usable_at(now) ? "active" : "expired");
      std::printf("%-36s  %-6s  %-8s  %-27s  %s\n", t.id.c_str(), std::string(to_string(t.scope)).c_str(), st,
                  format_rfc3339(t.created_at).c_str(), t.name.c_str());
    }
    return 0;
  });
}

int admin_token_revoke(const AdminTokenOptions& o) {
  return guarded([&] {
    auto store = open_existing(o.data_dir);
    SystemClock clock;
    OsRandom random;
    Services s{*store, clock, random};
    const std::string account = pick_account(*store, o.account_id);
    auto revoked = revoke_api_token(s, cli_actor(), account, o.id);
    if (!revoked) throw std::runtime_error(revoked.error().message);
    if (o.json) std::cout << serialize(to_json(*revoked, clock.now())) << "\n";
    else std::cout << "Revoked API token \"" << revoked->name << "\" (" << revoked->id << ").\n";
    return 0;
  });
}

}  // namespace gatehouse::cli
