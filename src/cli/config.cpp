#include "cli/config.hpp"

#include "admin/admin_origin.hpp"
#include "cli/alert_config.hpp"

#include "core/duration.hpp"
#include "policy/ip.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <stdexcept>

namespace gatehouse::cli {

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// A retention: a Go duration ("720h") or whole days ("30d"). `where` names the source.
std::chrono::microseconds parse_retention(const std::string& text, const std::string& where) {
  if (text.size() > 1 && text.back() == 'd' && text.find_first_not_of("0123456789") == text.size() - 1 &&
      text.size() <= 6) {
    const long days = std::stol(text.substr(0, text.size() - 1));
    if (days >= 1) return std::chrono::hours(24 * days);
  }
  auto d = parse_duration(text);
  if (!d || d->forever())
    throw std::runtime_error(where + " must be a duration such as 720h or 30d, got \"" + text + "\"");
  return std::chrono::duration_cast<std::chrono::microseconds>(*d->length);
}

// The coalescing window of allowed decisions: a Go duration from 0s (off) to 1h.
std::chrono::microseconds parse_coalesce(const std::string& text, const std::string& where) {
  if (text == "0" || text == "0s") return {};  // parse_duration wants a positive length
  auto d = parse_duration(text);
  if (!d || d->forever() || *d->length < std::chrono::nanoseconds(0) || *d->length > std::chrono::hours(1))
    throw std::runtime_error(where + " must be a duration from 0s (one row per decision) to 1h, got \"" + text + "\"");
  return std::chrono::duration_cast<std::chrono::microseconds>(*d->length);
}

bool parse_switch(const std::string& text, const std::string& where) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  throw std::runtime_error(where + " must be 1 or 0 (true or false), got \"" + text + "\"");
}

// A public URL from `where` (a flag, a variable, a key), normalised; "" = unset.
std::string public_url(const std::string& text, const std::string& where) {
  if (text.empty()) return {};
  auto origin = admin::parse_public_url(text);
  if (!origin) throw std::runtime_error(where + " " + origin.error().message);
  return std::move(*origin);
}

void apply_admin(ServeConfig& c, const toml::node& node, const std::string& path) {
  const auto* admin = node.as_table();
  if (admin == nullptr) throw std::runtime_error("config file " + path + ": [admin] must be a table");
  for (const auto& [key, value] : *admin) {
    const std::string k(key.str());
    if (k != "public_url") throw std::runtime_error("config file " + path + ": unknown key admin." + k);
    auto s = value.value<std::string>();
    if (!s) throw std::runtime_error("config file " + path + ": admin.public_url must be a string such as "
                                     "\"https://gatehouse.example.com\"");
    c.admin_public_url = public_url(*s, "config file " + path + ": admin.public_url");
  }
}

void apply_logs(ServeConfig& c, const toml::node& node, const std::string& path) {
  const auto* logs = node.as_table();
  if (logs == nullptr) throw std::runtime_error("config file " + path + ": [logs] must be a table");
  for (const auto& [key, value] : *logs) {
    const std::string k(key.str());
    if (k == "retention") {
      auto s = value.value<std::string>();
      if (!s) throw std::runtime_error("config file " + path + ": logs.retention must be a string such as \"720h\"");
      c.log_retention = parse_retention(*s, "config file " + path + ": logs.retention");
    } else if (k == "coalesce") {
      auto s = value.value<std::string>();
      if (!s) throw std::runtime_error("config file " + path + ": logs.coalesce must be a string such as \"1s\" or \"0s\"");
      c.log_coalesce = parse_coalesce(*s, "config file " + path + ": logs.coalesce");
    } else if (k == "stdout") {
      auto b = value.value<bool>();
      if (!b) throw std::runtime_error("config file " + path + ": logs.stdout must be true or false");
      c.log_stdout = *b;
    } else {
      throw std::runtime_error("config file " + path + ": unknown key logs." + k);
    }
  }
}

void apply_file(ServeConfig& c, const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    // Line 0 means the file could not be read at all; naming it would mislead.
    const auto line = e.source().begin.line;
    throw std::runtime_error("config file " + path + ": " + std::string(e.description()) +
                             (line > 0 ? " (line " + std::to_string(line) + ")" : std::string()));
  }
  auto need_string = [&](const toml::node& node, const std::string& key) {
    auto s = node.value<std::string>();
    if (!s) throw std::runtime_error("config file " + path + ": " + key + " must be a string");
    return *s;
  };
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k == "data_dir") c.data_dir = need_string(node, k);
    else if (k == "admin_listen") c.admin_listen = need_string(node, k);
    else if (k == "edge_listen") c.edge_listen = need_string(node, k);
    else if (k == "trusted_proxies") {
      const auto* list = node.as_array();
      if (list == nullptr)
        throw std::runtime_error("config file " + path + ": trusted_proxies must be an array of CIDRs, e.g. [\"10.0.0.0/8\"]");
      std::vector<std::string> cidrs;
      for (const auto& item : *list) cidrs.push_back(need_string(item, "every entry of trusted_proxies"));
      c.trusted_proxies = std::move(cidrs);
    }
    else if (k == "limits") {
      const auto* limits = node.as_table();
      if (limits == nullptr) throw std::runtime_error("config file " + path + ": [limits] must be a table");
      for (const auto& [lkey, lnode] : *limits) {
        const std::string lk(lkey.str());
        if (lk != "admin_body_bytes")
          throw std::runtime_error("config file " + path + ": unknown key limits." + lk);
        auto v = lnode.value<std::int64_t>();
        if (!v || *v < 1024 || *v > (std::int64_t{1} << 30))
          throw std::runtime_error("config file " + path + ": limits.admin_body_bytes must be 1024..1073741824");
        c.admin_body_limit = static_cast<std::size_t>(*v);
      }
    } else if (k == "edge_threads") {
      auto v = node.value<std::int64_t>();
      if (!v || *v < 0 || *v > 256) throw std::runtime_error("config file " + path + ": edge_threads must be 0..256");
      c.edge_threads = static_cast<unsigned>(*v);
    } else if (k == "tls") {
      const auto* tls = node.as_table();
      if (tls == nullptr) throw std::runtime_error("config file " + path + ": [tls] must be a table");
      for (const auto& [tkey, tnode] : *tls) {
        const std::string tk(tkey.str());
        if (tk == "cert") c.tls_cert = need_string(tnode, "tls.cert");
        else if (tk == "key") c.tls_key = need_string(tnode, "tls.key");
        else throw std::runtime_error("config file " + path + ": unknown key tls." + tk);
      }
    } else if (k == "admin") {
      apply_admin(c, node, path);
    } else if (k == "logs") {
      apply_logs(c, node, path);
    } else if (k == "smtp") {
      apply_smtp_table(c.smtp, node, path);
    } else if (k == "alerts") {
      apply_alerts_table(c.alerts, node, path);
    } else {
      throw std::runtime_error("config file " + path + ": unknown key \"" + k + "\"");
    }
  }
}

}  // namespace

ServeConfig load_serve_config(const ServeFlags& flags) {
  ServeConfig c;
  if (auto file = flags.config_file ? flags.config_file : env("GATEHOUSE_CONFIG")) apply_file(c, *file);
  if (auto v = env("GATEHOUSE_DATA_DIR")) c.data_dir = *v;
  if (auto v = env("GATEHOUSE_ADMIN_LISTEN")) c.admin_listen = *v;
  if (auto v = env("GATEHOUSE_ADMIN_PUBLIC_URL")) c.admin_public_url = public_url(*v, "GATEHOUSE_ADMIN_PUBLIC_URL");
  if (auto v = env("GATEHOUSE_EDGE_LISTEN")) c.edge_listen = *v;
  if (auto v = env("GATEHOUSE_TRUSTED_PROXIES")) {
    // Comma-separated CIDRs, e.g. "10.0.0.0/8, 127.0.0.1".
    std::vector<std::string> cidrs;
    std::string_view rest = *v;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) cidrs.emplace_back(item);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    c.trusted_proxies = std::move(cidrs);
  }
  if (auto v = env("GATEHOUSE_TLS_CERT")) c.tls_cert = *v;
  if (auto v = env("GATEHOUSE_TLS_KEY")) c.tls_key = *v;
  if (auto v = env("GATEHOUSE_LOG_RETENTION")) c.log_retention = parse_retention(*v, "GATEHOUSE_LOG_RETENTION");
  if (auto v = env("GATEHOUSE_LOG_COALESCE")) c.log_coalesce = parse_coalesce(*v, "GATEHOUSE_LOG_COALESCE");
  if (auto v = env("GATEHOUSE_LOG_STDOUT")) c.log_stdout = parse_switch(*v, "GATEHOUSE_LOG_STDOUT");
  apply_alert_env(c.smtp, c.alerts);
  if (flags.data_dir) c.data_dir = *flags.data_dir;
  if (flags.tls_cert) c.tls_cert = *flags.tls_cert;
  if (flags.tls_key) c.tls_key = *flags.tls_key;
  if (flags.edge_threads) c.edge_threads = *flags.edge_threads;
  if (flags.demo) c.demo = true;
  if (flags.log_json) c.log_stdout = true;
  if (c.tls_cert.empty() != c.tls_key.empty())
    throw std::runtime_error("TLS needs both a certificate and a key (--tls-cert and --tls-key)");
  if (flags.admin_listen) c.admin_listen = *flags.admin_listen;
  if (flags.admin_public_url) c.admin_public_url = public_url(*flags.admin_public_url, "--admin-public-url");
  if (flags.edge_listen) c.edge_listen = *flags.edge_listen;
  if (c.data_dir.empty()) throw std::runtime_error("the data dir must not be empty");
  if (c.trusted_proxies)
    for (const auto& text : *c.trusted_proxies)
      if (!parse_cidr(text))
        throw std::runtime_error("trusted_proxies: \"" + text + "\" is not an IP address or CIDR range (e.g. 10.0.0.0/8)");
  return c;
}

}  // namespace gatehouse::cli
