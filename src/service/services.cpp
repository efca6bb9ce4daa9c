#include "service/services.hpp"

#include "core/ids.hpp"
#include "crypto/crypto.hpp"
#include "service/access_audit.hpp"
#include "service/json_views.hpp"
#include "service/organization.hpp"

namespace gatehouse {

namespace {

constexpr std::size_t kMaxNameChars = 256;
using access_detail::audit_event;
using access_detail::kUpdateAttempts;

AuditEvent token_audit(Services& s, const Actor& actor, std::string action, const ServiceToken* before,
                       const ServiceToken& after_or_subject, bool deleted = false) {
  const ServiceToken& t = after_or_subject;
  return audit_event(s, actor, t.account_id, std::move(action), "access.service_token", t.id, t.name,
                     before ? serialize(to_json(*before)) : std::string(),
                     deleted ? std::string() : serialize(to_json(t)));
}

Error token_not_found(std::string_view id) {
  return not_found("service_token_not_found", "no service token with id \"" + std::string(id.substr(0, 64)) +
                                                  "\" in this account");
}

// Load, change, store with the revision check; retried when another writer won.
template <class Change>
Result<ServiceToken> modify_token(Services& s, std::string_view account_id, std::string_view id, Change&& change) {
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    auto found = s.store.find_service_token(account_id, id);
    if (!found) return found.error();
    if (!*found) return token_not_found(id);
    ServiceToken before = **found;
    ServiceToken after = before;
    auto event = change(after, before);
    if (!event) return event.error();
    if (!event->has_value()) return before;  // nothing to change
    after.revision = before.revision + 1;
    auto stored = s.store.update_service_token(after, **event);
    if (!stored) return stored.error();
    if (*stored) {
      s.notify_token_changed(after.account_id, after.id);
      return after;
    }
  }
  return conflict("concurrent_update", "the service token was changed concurrently; retry");
}

}  // namespace

Result<std::string> validate_name(std::string_view name, std::string_view field) {
  std::size_t chars = 0;
  for (unsigned char c : name) {
    if ((c & 0xC0) != 0x80) ++chars;  // count UTF-8 code points, not bytes
    if (c < 0x20 || c == 0x7F)
      return bad_request("invalid_name", std::string(field) + " must not contain control characters");
  }
  if (chars == 0) return bad_request("invalid_name", std::string(field) + " must not be empty");
  if (chars > kMaxNameChars)
    return bad_request("invalid_name", std::string(field) + " is " + std::to_string(chars) +
                                           " characters long; the maximum is " + std::to_string(kMaxNameChars));
  return std::string(name);
}

// ---- accounts and API tokens

Result<std::optional<Bootstrap>> bootstrap_if_empty(Services& s) {
  auto accounts = s.store.list_accounts();
  if (!accounts) return accounts.error();
  if (!accounts->empty()) return std::optional<Bootstrap>();
  Account account{new_hex(s.random, 16), "Gatehouse", s.clock.now()};
  const Actor system{"system", "gatehouse", "first start"};
  auto event = audit_event(s, system, account.id, "account.create", "account", account.id, account.name, "",
                           serialize(to_json(account)));
  if (auto r = s.store.create_account(account, event); !r) return r.error();
  if (auto org = get_organization(s, account.id); !org) return org.error();
  auto token = create_api_token(s, system, account.id, "initial admin token", Scope::edit, std::nullopt);
  if (!token) return token.error();
  return std::optional<Bootstrap>(Bootstrap{account, std::move(*token)});
}

Result<CreatedApiToken> create_api_token(Services& s, const Actor& actor, std::string_view account_id,
                                         std::string_view name, Scope scope, std::optional<Time> expires_at) {
  auto valid_name = validate_name(name);
  if (!valid_name) return valid_name.error();
  const Time now = s.clock.now();
  if (expires_at && *expires_at <= now)
    return bad_request("invalid_expiry", "expires_on must be in the future");
  CreatedApiToken out;
  out.token = new_api_token(s.random);
  out.record.id = new_uuid(s.random);
  out.record.account_id = std::string(account_id);
  out.record.name = std::move(*valid_name);
  out.record.scope = scope;
  out.record.token_hash = sha256_hex(out.token);
  out.record.created_at = now;
  out.record.expires_at = expires_at;
  auto event = audit_event(s, actor, account_id, "api_token.create", "api_token", out.record.id, out.record.name, "",
                           serialize(to_json(out.record, now)));
  if (auto r = s.store.create_api_token(out.record, event); !r) return r.error();
  return out;
}

Result<ApiToken> revoke_api_token(Services& s, const Actor& actor, std::string_view account_id,
                                  std::string_view id) {
  auto found = s.store.find_api_token(account_id, id);
  if (!found) return found.error();
  if (!*found)
    return not_found("api_token_not_found", "no API token with id \"" + std::string(id.substr(0, 64)) + "\"");
  ApiToken before = **found;
  if (before.revoked_at) return conflict("api_token_revoked", "API token \"" + before.name + "\" is already revoked");
  const Time now = s.clock.now();
  ApiToken after = before;
  after.revoked_at = now;
  auto event = audit_event(s, actor, account_id, "api_token.revoke", "api_token", before.id, before.name,
                           serialize(to_json(before, now)), serialize(to_json(after, now)));
  auto revoked = s.store.revoke_api_token(account_id, id, now, event);
  if (!revoked) return revoked.error();
  if (!*revoked) return conflict("api_token_revoked", "API token \"" + before.name + "\" is already revoked");
  return after;
}

// ---- service tokens

Result<CreatedServiceToken> create_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                                 NewServiceToken spec) {
  auto name = validate_name(spec.name);
  if (!name) return name.error();
  const Time now = s.clock.now();
  CreatedServiceToken out;
  out.client_secret = new_client_secret(s.random);
  ServiceToken& t = out.token;
  t.id = new_uuid(s.random);
  t.account_id = std::string(account_id);
  t.name = std::move(*name);
  t.client_id = new_client_id(s.random);
  t.expires_at = expiry_after(now, spec.duration);
  t.duration = std::move(spec.duration);
  t.enabled = spec.enabled;
  t.created_at = t.updated_at = now;
  t.secret_hash = sha256_hex(out.client_secret);
  t.client_secret_version = 1;
  t.revision = 1;
  auto event = token_audit(s, actor, "service_token.create", nullptr, t);
  if (auto r = s.store.insert_service_token(t, event); !r) return r.error();
  s.notify_token_changed(t.account_id, t.id);
  return out;
}

Result<ServiceToken> get_service_token(Services& s, std::string_view account_id, std::string_view id) {
  auto found = s.store.find_service_token(account_id, id);
  if (!found) return found.error();
  if (!*found) return token_not_found(id);
  return std::move(**found);
}

Result<ServiceToken> update_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id, const ServiceTokenChanges& c) {
  std::optional<std::string> name;
  if (c.name) {
    auto valid = validate_name(*c.name);
    if (!valid) return valid.error();
    name = std::move(*valid);
  }
  return modify_token(s, account_id, id, [&](ServiceToken& t, const ServiceToken& before) -> Result<std::optional<AuditEvent>> {
    const Time now = s.clock.now();
    if (c.previous_client_secret_expires_at) {
      if (!t.previous_secret_hash)
        return bad_request("no_previous_secret",
                           "previous_client_secret_expires_at can only be set after a rotation");
      const Time wanted = *c.previous_client_secret_expires_at;
      if (previous_secret_in_grace(t, now)) {
        // Forward extends the grace; the past means "stop accepting it now".
        t.previous_client_secret_expires_at = std::max(wanted, now);
      } else if (wanted > now) {
        // Reviving a secret whose grace has ended would let a retired credential back in.
        return conflict("previous_secret_expired",
                        "the previous client secret has already stopped working and cannot be revived; "
                        "rotate again instead");
      }
    }
    if (name) t.name = *name;
    if (c.duration) change_duration(t, *c.duration, now);
    if (c.enabled) t.enabled = *c.enabled;
    ServiceToken unchanged_probe = t;
    unchanged_probe.updated_at = before.updated_at;
    if (unchanged_probe == before) return std::optional<AuditEvent>();
    t.updated_at = now;
    std::string action = "service_token.update";
    if (c.enabled && !c.name && !c.duration && !c.previous_client_secret_expires_at)
      action = *c.enabled ? "service_token.enable" : "service_token.disable";
    return std::optional<AuditEvent>(token_audit(s, actor, action, &before, t));
  });
}

Result<ServiceToken> refresh_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                           std::string_view id) {
  return modify_token(s, account_id, id, [&](ServiceToken& t, const ServiceToken& before) -> Result<std::optional<AuditEvent>> {
    refresh(t, s.clock.now());
    return std::optional<AuditEvent>(token_audit(s, actor, "service_token.refresh", &before, t));
  });
}

Result<CreatedServiceToken> rotate_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                                 std::string_view id, std::optional<Time> grace_until) {
  CreatedServiceToken out;
  out.client_secret = new_client_secret(s.random);
  const std::string hash = sha256_hex(out.client_secret);
  auto rotated = modify_token(s, account_id, id, [&](ServiceToken& t, const ServiceToken& before) -> Result<std::optional<AuditEvent>> {
    rotate(t, hash, grace_until, s.clock.now());
    return std::optional<AuditEvent>(token_audit(s, actor, "service_token.rotate", &before, t));
  });
  if (!rotated) return rotated.error();
  out.token = std::move(*rotated);
  return out;
}

Result<ServiceToken> delete_service_token(Services& s, const Actor& actor, std::string_view account_id,
                                          std::string_view id) {
  auto found = get_service_token(s, account_id, id);
  if (!found) return found.error();
  auto event = token_audit(s, actor, "service_token.delete", &*found, *found, /*deleted=*/true);
  auto deleted = s.store.delete_service_token(account_id, id, event);
  if (!deleted) return deleted.error();
  if (!*deleted) return token_not_found(id);
  s.notify_token_changed(found->account_id, found->id);
  return std::move(*found);
}

}  // namespace gatehouse
