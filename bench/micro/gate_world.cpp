#include "gate_world.hpp"

#include "bench_check.hpp"
#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "jwt/jwt.hpp"

namespace gatehouse::bench {

namespace {

constexpr std::size_t kTokens = 1'000;
constexpr std::string_view kAccount = "acct";

Organization organization() {
  Organization org;
  org.account_id = std::string(kAccount);
  org.name = "Bench";
  org.auth_domain = "team.example.com";
  org.created_at = org.updated_at = kBenchNow - std::chrono::hours(1);
  return org;
}

edge::SnapshotInputs::Key signing_key() {
  auto key = generate_rsa_key();
  require(key.has_value(), "generate_rsa_key failed");
  StoredSigningKey stored;
  stored.kid = key->kid();
  stored.account_id = std::string(kAccount);
  stored.created_at = kBenchNow - std::chrono::hours(1);
  auto cert = self_signed_certificate_pem(key->pkey(), "team.example.com", stored.created_at);
  require(cert.has_value(), "self_signed_certificate_pem failed");
  stored.certificate_pem = *cert;
  return {stored, std::make_shared<const SigningKey>(std::move(*key))};
}

// A one-year token (the usual duration), so no expiry-warning header is added.
ServiceToken token(Random& ids, const std::string& secret, std::size_t i) {
  ServiceToken t;
  t.id = new_uuid(ids);
  t.account_id = std::string(kAccount);
  t.name = "token-" + std::to_string(i);
  t.client_id = new_client_id(ids);
  t.duration = *parse_duration("8760h");
  t.expires_at = expiry_after(kBenchNow, t.duration);
  t.created_at = t.updated_at = kBenchNow;
  t.secret_hash = sha256_hex(secret);
  return t;
}

App app_with_policy(Random& ids, Policy& policy, std::string_view host) {
  App a;
  a.id = new_uuid(ids);
  a.account_id = std::string(kAccount);
  a.name = "api";
  a.domain = std::string(host);
  a.origin = "http://127.0.0.1:3000";
  a.aud = new_hex(ids, 32);
  a.created_at = a.updated_at = kBenchNow;
  policy.id = new_uuid(ids);
  policy.account_id = a.account_id;
  policy.app_id = a.id;
  policy.precedence = 1;
  a.policies.push_back({policy.id, policy.precedence});
  return a;
}

void fill(GateWorld& world) {
  SeededRandom ids{7};  // ids only; secrets come from the OS CSPRNG, as in production
  OsRandom secrets;
  edge::SnapshotInputs in;
  in.organizations.push_back(organization());
  in.keys.push_back(signing_key());
  const std::size_t named = kTokens / 2;  // the policy names a token in the middle of the map
  for (std::size_t i = 0; i < kTokens; ++i) {
    const std::string secret = new_client_secret(secrets);
    in.tokens.push_back(token(ids, secret, i));
    if (i == named) {
      world.client_id = in.tokens.back().client_id;
      world.client_secret = secret;
    }
  }
  world.wrong_secret = new_client_secret(secrets);
  world.tokens = kTokens;

  Policy policy;
  policy.name = "CI service auth";
  policy.decision = PolicyDecision::non_identity;
  policy.include = {Rule{Rule::Kind::service_token, in.tokens[named].id}};
  in.apps.push_back(app_with_policy(ids, policy, world.host));
  in.policies.push_back(std::move(policy));

  world.snapshots.publish(edge::build_snapshot(std::move(in), kBenchNow, 1));
  const auto snap = world.snapshots.load();
  require(snap->apps.size() == 1 && snap->tokens->size() == kTokens, "the snapshot lost apps or tokens");
  require(snap->apps[0].upstream != nullptr, "the app has no upstream");
}

}  // namespace

const GateWorld& gate_world() {
  // GateWorld holds an atomic (the SnapshotHolder), so it is filled in place.
  static GateWorld world;
  static const bool filled = (fill(world), true);
  (void)filled;
  return world;
}

OwnedRequest& OwnedRequest::header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
  return *this;
}

const edge::RequestHead& OwnedRequest::head() {
  refs_.clear();
  for (const auto& [name, value] : headers_) refs_.push_back({name, value});
  head_.method = "GET";
  head_.target = target_;
  head_.headers = refs_;
  head_.remote_ip = peer_;
  head_.tls = true;
  return head_;
}

void add_client_headers(OwnedRequest& r, std::string_view host) {
  r.header("Host", std::string(host)).header("User-Agent", "curl/7.88.1").header("Accept", "*/*");
}

}  // namespace gatehouse::bench
