#pragma once
// The whole-gate set-up for gate_bench.cpp, built in memory the way
// tests/unit/edge/gate_fixture.hpp does (copied, not shared: the bench must not depend
// on test sources, and src/ has no fixture helper): one account with a fresh RSA-2048
// key, 1,000 service tokens, and one app, api.example.com, whose single Service Auth
// policy names one of those tokens.
#include "bench_clock.hpp"
#include "edge/access_gate.hpp"

#include <string>
#include <utility>
#include <vector>

namespace gatehouse::bench {

struct GateWorld {
  FakeClock clock{kBenchNow};  // never moves: the JWT caches stay warm and nothing expires
  edge::SnapshotHolder snapshots;
  std::string host = "api.example.com";
  std::string client_id;      // the token the policy names
  std::string client_secret;  // its secret
  std::string wrong_secret;   // well formed, but nobody's
  std::size_t tokens = 0;
};

// Built on first use, once per process (key generation, 1,000 secrets hashed).
const GateWorld& gate_world();

// A request as the transport hands it to decide(): this object owns the header text
// and head() returns views into it. Neither copyable nor movable, so the views cannot
// dangle; add every header before calling head().
class OwnedRequest {
 public:
  OwnedRequest(std::string target, std::string peer) : target_(std::move(target)), peer_(std::move(peer)) {}
  OwnedRequest(const OwnedRequest&) = delete;
  OwnedRequest& operator=(const OwnedRequest&) = delete;

  OwnedRequest& header(std::string name, std::string value);
  const edge::RequestHead& head();

 private:
  std::string target_;
  std::string peer_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<edge::HeaderRef> refs_;
  edge::RequestHead head_;
};

// The Host, User-Agent and Accept of a typical automated client.
void add_client_headers(OwnedRequest& r, std::string_view host);

}  // namespace gatehouse::bench
