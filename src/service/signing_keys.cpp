#include "service/signing_keys.hpp"

#include "core/ids.hpp"
#include "jwt/certificate.hpp"
#include "jwt/key_encryption.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace gatehouse {

namespace {

constexpr std::chrono::hours kPublishedAfterRetirement{24 * 7};

AuditEvent key_event(Services& s, const Actor& actor, std::string_view account_id, std::string action,
                     std::string_view kid) {
  AuditEvent e;
  e.id = new_uuid(s.random);
  e.account_id = std::string(account_id);
  e.when = s.clock.now();
  e.actor = actor;
  e.action = std::move(action);
  e.resource_type = "access.signing_key";
  e.resource_id = std::string(kid);
  e.resource_name = std::string(kid.substr(0, 12));
  e.after_json = boost::json::serialize(boost::json::object{{"kid", kid}});
  e.interface = actor.type == "api_token" ? "api" : actor.type;
  return e;
}

Result<StoredSigningKey> new_key(Services& s, const MasterKey& master, const Organization& org) {
  auto key = generate_rsa_key();
  if (!key) return to_error(key.error());
  auto pem = private_key_pem(key->pkey());
  if (!pem) return to_error(pem.error());
  auto pub = public_key_pem(key->pkey());
  if (!pub) return to_error(pub.error());
  const Time now = s.clock.now();
  auto cert = self_signed_certificate_pem(key->pkey(), org.auth_domain, now);
  if (!cert) return to_error(cert.error());
  auto sealed = encrypt_private_key(*pem, master, s.random, key->kid());
  if (!sealed) return to_error(sealed.error());
  StoredSigningKey stored;
  stored.kid = key->kid();
  stored.account_id = org.account_id;
  stored.private_key_encrypted = std::move(*sealed);
  stored.public_key_pem = std::move(*pub);
  stored.certificate_pem = std::move(*cert);
  stored.created_at = now;
  return stored;
}

Result<void> record_rotation(Services& s, const Actor& actor, Organization org, Time when, std::string_view kid) {
  const Time expected = org.updated_at;
  org.last_key_rotation_at = when;
  org.updated_at = std::max(when, expected + std::chrono::microseconds(1));
  auto event = key_event(s, actor, org.account_id, "organization.key_rotation", kid);
  event.resource_type = "access.organization";
  event.resource_id = org.account_id;
  event.resource_name = org.name;
  auto stored = s.store.update_organization(org, expected, event);
  if (!stored) return stored.error();
  if (!*stored) return conflict("concurrent_update", "the organization was changed concurrently; retry");
  return {};
}

}  // namespace

KeyStatus key_status(const Organization& org, Time now) {
  KeyStatus k;
  k.key_rotation_interval_days = org.key_rotation_interval_days;
  k.last_key_rotation_at = org.last_key_rotation_at;
  const Time base = org.last_key_rotation_at.value_or(org.created_at);
  const auto next = base + std::chrono::hours(24) * org.key_rotation_interval_days;
  const auto left = std::chrono::duration_cast<std::chrono::hours>(next - now).count();
  k.days_until_next_rotation = left <= 0 ? 0 : static_cast<int>((left + 23) / 24);
  return k;
}

Result<bool> ensure_signing_key(Services& s, const MasterKey& master, const Organization& org) {
  auto keys = s.store.list_signing_keys(org.account_id);
  if (!keys) return keys.error();
  for (const auto& k : *keys)
    if (!k.retired_at) return false;
  auto key = new_key(s, master, org);
  if (!key) return key.error();
  const Actor system{"system", "gatehouse", "first start"};
  if (auto r = s.store.insert_signing_key(*key, key_event(s, system, org.account_id, "signing_key.create", key->kid)); !r)
    return r.error();
  if (auto r = record_rotation(s, system, org, key->created_at, key->kid); !r) return r.error();
  s.notify_changed();
  return true;
}

Result<KeyStatus> rotate_signing_key(Services& s, const MasterKey& master, const Actor& actor, const Organization& org) {
  auto before = s.store.list_signing_keys(org.account_id);
  if (!before) return before.error();
  auto key = new_key(s, master, org);
  if (!key) return key.error();
  // The new key first, then retire the old ones: a crash in between leaves two
  // unretired keys, and the newest signs; never a moment with no key.
  if (auto r = s.store.insert_signing_key(*key, key_event(s, actor, org.account_id, "signing_key.rotate", key->kid)); !r)
    return r.error();
  for (const auto& old : *before)
    if (!old.retired_at)
      if (auto r = s.store.retire_signing_key(org.account_id, old.kid, key->created_at,
                                              key_event(s, actor, org.account_id, "signing_key.retire", old.kid));
          !r)
        return r.error();
  if (auto r = record_rotation(s, actor, org, key->created_at, key->kid); !r) return r.error();
  s.notify_changed();
  auto fresh = s.store.find_organization(org.account_id);
  if (!fresh) return fresh.error();
  return key_status(fresh->value_or(org), s.clock.now());
}

Result<int> rotate_due_keys(Services& s, const MasterKey& master) {
  auto orgs = s.store.list_organizations();
  if (!orgs) return orgs.error();
  const Time now = s.clock.now();
  const Actor system{"system", "gatehouse", "key rotation schedule"};
  int rotated = 0;
  for (const auto& org : *orgs) {
    if (key_status(org, now).days_until_next_rotation == 0) {
      if (auto r = rotate_signing_key(s, master, system, org); !r) return r.error();
      ++rotated;
    }
    auto keys = s.store.list_signing_keys(org.account_id);
    if (!keys) return keys.error();
    for (const auto& k : *keys)
      if (k.retired_at && now - *k.retired_at >= kPublishedAfterRetirement) {
        if (auto r = s.store.delete_signing_key(org.account_id, k.kid,
                                                key_event(s, system, org.account_id, "signing_key.delete", k.kid));
            !r)
          return r.error();
        s.notify_changed();
      }
  }
  return rotated;
}

std::shared_ptr<const SigningKey> decrypt_signing_key(const StoredSigningKey& stored, const MasterKey& master) {
  auto pem = decrypt_private_key(stored.private_key_encrypted, master, stored.kid);
  if (!pem) return nullptr;
  auto key = signing_key_from_pem(*pem);
  if (!key || key->kid() != stored.kid) return nullptr;
  return std::make_shared<const SigningKey>(std::move(*key));
}

}  // namespace gatehouse
