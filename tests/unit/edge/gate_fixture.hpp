#pragma once
// A snapshot with one account, its key, apps and tokens, built in memory, and a way
// to send requests through the AccessGate without sockets.
#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "edge/access_gate.hpp"
#include "edge/app_jwt.hpp"
#include "jwt/jwt.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <map>

namespace gatehouse::edge::testing {

using namespace std::chrono;

inline const Time kNow = from_micros(1'800'000'000'000'000);

struct Request {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string peer = "192.0.2.10";
  bool tls = true;

  Request& header(std::string n, std::string v) {
    headers.emplace_back(std::move(n), std::move(v));
    return *this;
  }
};

struct RecordingSink : AccessLogSink {
  std::vector<AccessRecord> records;
  int unknown = 0;
  std::vector<std::pair<std::string, int>> seen_tokens;
  void record(const AccessRecord& r) noexcept override { records.push_back(r); }
  void unknown_client_id() noexcept override { ++unknown; }
  void seen(std::string_view id, int version, Time) noexcept override { seen_tokens.emplace_back(std::string(id), version); }
};

class GateFixture : public ::testing::Test {
 protected:
  RecordingSink log;
  FakeClock clock{kNow};
  SeededRandom random{7};
  SnapshotHolder holder;
  SnapshotInputs inputs;
  std::map<std::string, std::string> secrets;  // token name -> secret

  void SetUp() override {
    Organization org;
    org.account_id = "acct";
    org.name = "Test";
    org.auth_domain = "team.example.com";
    org.created_at = org.updated_at = kNow - hours(1);
    inputs.organizations.push_back(org);
    add_key(kNow - hours(1));
  }

  std::string add_key(Time created) {
    auto key = generate_rsa_key();
    EXPECT_TRUE(key);
    StoredSigningKey stored;
    stored.kid = key->kid();
    stored.account_id = "acct";
    stored.created_at = created;
    auto cert = self_signed_certificate_pem(key->pkey(), "team.example.com", created);
    stored.certificate_pem = cert ? *cert : "";
    for (auto& k : inputs.keys)
      if (!k.stored.retired_at) k.stored.retired_at = created;
    inputs.keys.push_back({stored, std::make_shared<const SigningKey>(std::move(*key))});
    return stored.kid;
  }

  ServiceToken& add_token(const std::string& name, std::string_view duration = "72h") {
    ServiceToken t;
    t.id = new_uuid(random);
    t.account_id = "acct";
    t.name = name;
    t.client_id = new_client_id(random);
    t.duration = *parse_duration(duration);
    t.expires_at = expiry_after(kNow, t.duration);
    t.created_at = t.updated_at = kNow;
    OsRandom os;
    secrets[name] = new_client_secret(os);
    t.secret_hash = sha256_hex(secrets[name]);
    inputs.tokens.push_back(t);
    return inputs.tokens.back();
  }

  ServiceToken& token(const std::string& name) {
    for (auto& t : inputs.tokens)
      if (t.name == name) return t;
    throw std::runtime_error("no token " + name);
  }

  App& add_app(const std::string& name, const std::string& domain, std::vector<Policy> policies) {
    App a;
    a.id = new_uuid(random);
    a.account_id = "acct";
    a.name = name;
    a.domain = domain;
    a.origin = "http://127.0.0.1:3000";
    a.aud = new_hex(random, 32);
    a.created_at = a.updated_at = kNow;
    int precedence = 1;
    for (auto& p : policies) {
      p.id = new_uuid(random);
      p.account_id = "acct";
      p.app_id = a.id;
      p.precedence = precedence;
      a.policies.push_back({p.id, precedence++});
      inputs.policies.push_back(p);
    }
    inputs.apps.push_back(a);
    return inputs.apps.back();
  }

  App& app(const std::string& name) {
    for (auto& a : inputs.apps)
      if (a.name == name) return a;
    throw std::runtime_error("no app " + name);
  }

  static Policy service_auth(std::vector<Rule> include) {
    Policy p;
    p.name = "service auth";
    p.decision = PolicyDecision::non_identity;
    p.include = std::move(include);
    return p;
  }
  static Policy with_decision(PolicyDecision d, std::vector<Rule> include) {
    Policy p = service_auth(std::move(include));
    p.decision = d;
    return p;
  }

  void publish() {
    static std::uint64_t version = 0;
    holder.publish(build_snapshot(inputs, clock.now(), ++version));
  }

  Verdict send(const Request& r) {
    std::vector<HeaderRef> refs;
    for (const auto& [n, v] : r.headers) refs.push_back({n, v});
    RequestHead head;
    head.method = r.method;
    head.target = r.target;
    head.headers = refs;
    head.remote_ip = r.peer;
    head.tls = r.tls;
    GateOptions options;
    options.access_log = &log;
    AccessGate gate(holder, clock, options);
    return gate.decide(head);
  }

  Request with_token(const std::string& host, const std::string& name) {
    Request r;
    r.header("Host", host).header("CF-Access-Client-Id", token(name).client_id).header("CF-Access-Client-Secret", secrets[name]);
    return r;
  }

  static std::string header(const std::vector<http::Header>& hs, std::string_view name) {
    for (const auto& h : hs)
      if (http::iequals(h.name, name)) return h.value;
    return {};
  }

  // The reason slug of a denial (JSON body).
  static std::string reason(const Verdict& v) {
    if (!v.respond) return "(forwarded)";
    const auto& b = v.respond->body;
    const auto at = b.find("\"reason\":\"");
    if (at == std::string::npos) return "(no reason)";
    return b.substr(at + 10, b.find('"', at + 10) - at - 10);
  }

  std::string jwt_from_cookie(const Verdict& v) {
    const auto cookie = header(v.forward.add_response_headers, "Set-Cookie");
    const auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
  }
};

}  // namespace gatehouse::edge::testing
