#include "server/demo.hpp"

#include "service/apps.hpp"
#include "service/json_views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <stdexcept>

namespace gatehouse::server {

namespace json = boost::json;

namespace {

const Actor kDemoActor{"system", "gatehouse", "demo set-up"};

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string("demo set-up: ") + what + ": " + r.error().message);
  return std::move(*r);
}

}  // namespace

std::unique_ptr<http::Server> start_echo_origin(boost::asio::io_context& io) {
  // Echoes what the origin received, so the demo shows the Cf-Access-Jwt-Assertion
  // header arriving and the Client Secret not arriving.
  auto handler = [](const http::Request& req) {
    json::object headers;
    for (const auto& h : req.headers) headers[h.name] = h.value;
    http::Response r;
    r.set("Content-Type", "application/json");
    r.body = serialize(json::object{{"origin", "gatehouse demo echo"},
                                    {"method", req.method},
                                    {"target", req.target},
                                    {"headers", std::move(headers)}}) +
             "\n";
    return r;
  };
  auto on_error = [](int status, std::string_view message) {
    http::Response r;
    r.status = status;
    r.body = std::string(message);
    return r;
  };
  auto server = std::make_unique<http::Server>(io, "127.0.0.1:0", handler, on_error);
  server->start();
  return server;
}

DemoSetup prepare_demo(Services& s, const std::string& account_id, const std::string& origin_url) {
  DemoSetup d;
  d.origin_url = origin_url;

  // The token.
  ServiceTokenQuery tq;
  tq.account_id = account_id;
  tq.name = "demo";
  auto tokens = must(s.store.list_service_tokens(tq), "list tokens");
  CreatedServiceToken token;
  if (tokens.items.empty()) {
    token = must(create_service_token(s, kDemoActor, account_id, NewServiceToken{"demo", *parse_duration("8760h"), true}),
                 "create the demo token");
  } else {
    token = must(rotate_service_token(s, kDemoActor, account_id, tokens.items.front().id, std::nullopt),
                 "re-issue the demo token's secret");
  }
  d.client_id = token.token.client_id;
  d.client_secret = token.client_secret;

  // The app, with a Service Auth policy naming the token.
  PolicyInput policy;
  policy.name = "demo service token";
  policy.decision = PolicyDecision::non_identity;
  policy.include = std::vector<Rule>{Rule{Rule::Kind::service_token, token.token.id}};
  AppInput in;
  in.name = "demo";
  in.domain = d.host;
  in.origin = origin_url;
  in.policies = std::vector<AppPolicyEntry>{AppPolicyEntry{"", 1, policy}};
  AppQuery aq;
  aq.account_id = account_id;
  aq.name = "demo";
  auto apps = must(s.store.list_apps(aq), "list apps");
  if (apps.items.empty()) {
    in.type = "self_hosted";
    must(create_app(s, kDemoActor, account_id, in), "create the demo app");
  } else {
    must(update_app(s, kDemoActor, account_id, apps.items.front().id, in), "update the demo app");
  }
  return d;
}

}  // namespace gatehouse::server
