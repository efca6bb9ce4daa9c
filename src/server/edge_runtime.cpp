#include "server/edge_runtime.hpp"

#include <iostream>

namespace gatehouse::server {

EdgeRuntime::EdgeRuntime(Store& store, const MasterKey& master, const Clock& clock, edge::EdgeOptions options,
                         edge::GateOptions gate)
    : loader_(store, master, clock), gate_(holder_, clock, std::move(gate)), server_(gate_, std::move(options)) {}

bool EdgeRuntime::apply(const RebuildWave& wave) {
  if (!wave.full && !wave.tokens.empty()) {
    auto snap = loader_.load_tokens(wave.tokens);
    if (snap && *snap) {
      holder_.publish(std::move(*snap));
      return true;
    }
    if (!snap)
      std::cerr << "gatehouse: cannot read changed service tokens for the edge (reloading everything): "
                << snap.error().message << std::endl;
    // Null: the overlay is full (the full load folds it into the base) or the change
    // cannot be applied alone.
  }
  return load_and_publish();
}

bool EdgeRuntime::load_and_publish() {
  auto snap = loader_.load();
  if (!snap) {
    std::cerr << "gatehouse: cannot refresh the edge configuration (keeping the previous one): "
              << snap.error().message << std::endl;
    return false;
  }
  for (const auto& kid : loader_.undecryptable())
    std::cerr << "gatehouse: signing key " << kid
              << " does not decrypt with this master key (GATEHOUSE_MASTER_KEY or master.key): it is not used"
              << std::endl;
  holder_.publish(std::move(*snap));
  return true;
}

}  // namespace gatehouse::server
