#include "cli/api_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <curl/curl.h>

#include <memory>
#include <stdexcept>

namespace gatehouse::cli {

namespace json = boost::json;

namespace {

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string url_encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

ApiClient::ApiClient(std::string base_url, std::string api_token)
    : base_url_(std::move(base_url)), api_token_(std::move(api_token)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  if (base_url_.find("://") == std::string::npos) base_url_ = "http://" + base_url_;
}

ApiReply ApiClient::send(const std::string& method, const std::string& path, const std::optional<std::string>& body) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw std::runtime_error("cannot initialise libcurl");
  std::string response;
  const std::string url = base_url_ + path;
  curl_slist* raw = nullptr;
  raw = curl_slist_append(raw, ("Authorization: Bearer " + api_token_).c_str());
  raw = curl_slist_append(raw, "Accept: application/json");
  if (body) raw = curl_slist_append(raw, "Content-Type: application/json");
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    throw std::runtime_error("cannot reach Gatehouse at " + base_url_ + ": " + curl_easy_strerror(rc) +
                             " (set --addr or GATEHOUSE_ADDR)");
  ApiReply reply;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  boost::system::error_code ec;
  reply.body = json::parse(response, ec);
  if (ec || !reply.body.is_object())
    throw std::runtime_error("unexpected reply from " + url + " (HTTP " + std::to_string(reply.status) +
                             "): not a Gatehouse API envelope");
  return reply;
}

json::value ApiClient::call(const std::string& method, const std::string& path,
                            const std::optional<json::value>& body, json::value* result_info) {
  std::optional<std::string> text;
  if (body) text = json::serialize(*body);
  ApiReply reply = send(method, path, text);
  const auto& env = reply.body.as_object();
  const auto* success = env.if_contains("success");
  if (reply.status >= 200 && reply.status < 300 && success && success->is_bool() && success->as_bool()) {
    if (result_info)
      if (const auto* info = env.if_contains("result_info")) *result_info = *info;
    const auto* result = env.if_contains("result");
    return result ? *result : json::value(nullptr);
  }
  std::string message = "HTTP " + std::to_string(reply.status);
  if (const auto* errors = env.if_contains("errors"); errors && errors->is_array())
    for (const auto& e : errors->as_array())
      if (e.is_object())
        if (const auto* m = e.as_object().if_contains("message"); m && m->is_string())
          message += "\n  " + std::string(m->as_string());
  throw std::runtime_error(message);
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

AccountApi connect_account(const ApiOptions& api) {
  if (api.api_token.empty())
    throw std::runtime_error("no API token: pass --api-token or set GATEHOUSE_TOKEN "
                             "(create one with gatehouse admin-token create --data-dir DIR --name NAME)");
  ApiClient client(api.addr, api.api_token);
  std::string account = api.account;
  if (account.empty()) {
    auto accounts = client.call("GET", "/client/v4/accounts");
    if (!accounts.is_array() || accounts.as_array().empty())
      throw std::runtime_error("the API token sees no account; pass --account");
    account = str(accounts.as_array()[0].as_object(), "id");
  }
  return AccountApi{std::move(client), "/client/v4/accounts/" + url_encode(account)};
}

}  // namespace gatehouse::cli
