#include "notify/curl_transport.hpp"

#include <curl/curl.h>

#include <memory>

namespace gatehouse::notify {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, CurlDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Upload {
  std::string_view data;
  std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t room = size * n;
  const std::size_t left = up->data.size() - up->sent;
  const std::size_t chunk = left < room ? left : room;
  up->data.copy(buffer, chunk, up->sent);
  up->sent += chunk;
  return chunk;
}

// Keeps at most the first 512 bytes of a webhook's answer, for the error message.
std::size_t keep_head(char* data, std::size_t size, std::size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() < 512) out->append(data, std::min<std::size_t>(size * n, 512 - out->size()));
  return size * n;
}

// Non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int check_cancelled(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancelled)->load() ? 1 : 0;
}

void common_options(CURL* c, std::chrono::seconds connect_timeout, std::chrono::seconds timeout, char* errbuf,
                    std::atomic<bool>& cancelled) {
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &check_cancelled);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cancelled);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

Error cancelled_error() { return Error{503, "delivery_cancelled", "Gatehouse is stopping; sent after the restart"}; }

Error transfer_error(CURLcode rc, const char* errbuf, long response_code, const char* what) {
  std::string msg = std::string(what) + ": " + curl_easy_strerror(rc);
  if (errbuf[0] != '\0') msg += " (" + std::string(errbuf) + ")";
  if (response_code > 0) msg += "; last server response " + std::to_string(response_code);
  return Error{502, "delivery_failed", msg};
}

}  // namespace

Result<void> CurlTransport::send_email(const EmailMessage& m) {
  if (!smtp_.configured())
    return Error{503, "smtp_not_configured", "no SMTP server is configured ([smtp] url or GATEHOUSE_SMTP_URL)"};
  if (cancelled_) return cancelled_error();
  Easy curl(curl_easy_init());
  if (!curl) return internal_error("curl_init", "cannot initialise libcurl");
  CURL* c = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  common_options(c, connect_timeout_, timeout_, errbuf, cancelled_);
  const std::string text = format_email(m, smtp_.from);
  Upload upload{text};
  const std::string mail_from = "<" + address_of(smtp_.from) + ">";
  Slist rcpt(curl_slist_append(nullptr, ("<" + m.to + ">").c_str()));
  curl_easy_setopt(c, CURLOPT_URL, smtp_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  // smtp://: STARTTLS when the server offers it, or always when required; smtps://
  // is TLS from the start whatever this says.
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   static_cast<long>(smtp_.starttls == StartTls::required ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!smtp_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, smtp_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, smtp_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_OK) return transfer_error(rc, errbuf, code, "SMTP delivery failed");
  return {};
}

Result<void> CurlTransport::post_webhook(std::string_view url, std::string_view secret, std::string_view json_body) {
  if (cancelled_) return cancelled_error();
  Easy curl(curl_easy_init());
  if (!curl) return internal_error("curl_init", "cannot initialise libcurl");
  CURL* c = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  common_options(c, connect_timeout_, timeout_, errbuf, cancelled_);
  curl_slist* raw = curl_slist_append(nullptr, "Content-Type: application/json");
  raw = curl_slist_append(raw, "User-Agent: Gatehouse-Alerts/0.1");
  raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip
  if (!secret.empty()) raw = curl_slist_append(raw, ("cf-webhook-auth: " + std::string(secret)).c_str());
  Slist headers(raw);
  std::string answer;
  const std::string target(url);
  curl_easy_setopt(c, CURLOPT_URL, target.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(json_body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &keep_head);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_OK) return transfer_error(rc, errbuf, code, "webhook delivery failed");
  if (code < 200 || code > 299) {
    for (char& ch : answer)
      if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
    return Error{502, "delivery_failed",
                 "webhook answered HTTP " + std::to_string(code) + (answer.empty() ? "" : ": " + answer.substr(0, 200))};
  }
  return {};
}

}  // namespace gatehouse::notify
