// Compatibility: Access applications, policies and the organization through the official
// `cloudflare` TypeScript SDK (v7) against a real Gatehouse (compat.md §1.3, §1.4).
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test compat/apps_policies.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import Cloudflare from 'cloudflare';

import { startServer } from './server.mjs';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AUD_RE = /^[0-9a-f]{64}$/;
const RFC3339_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ERROR_MESSAGE_RE = /^access\.api\.error\.[a-z0-9_]+: \S/;

async function assertRejects(promise, ErrorClass, status, fragment) {
  let caught;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${ErrorClass.name} (${status}), but the call succeeded`);
  assert.ok(caught instanceof ErrorClass, `expected ${ErrorClass.name}, got ${caught?.constructor?.name}: ${caught?.message}`);
  assert.equal(caught.status, status);
  assert.ok(Array.isArray(caught.errors) && caught.errors.length > 0);
  for (const e of caught.errors) assert.match(e.message, ERROR_MESSAGE_RE);
  if (fragment) assert.ok(caught.errors.some((e) => e.message.includes(fragment)), JSON.stringify(caught.errors));
  return caught;
}

function assertPolicyShape(p) {
  assert.match(p.id, UUID_RE);
  assert.equal(typeof p.name, 'string');
  assert.ok(['allow', 'deny', 'non_identity', 'bypass'].includes(p.decision), p.decision);
  for (const list of ['include', 'exclude', 'require']) assert.ok(Array.isArray(p[list]), `${list} is an array`);
  assert.match(p.created_at, RFC3339_UTC_RE);
  assert.match(p.updated_at, RFC3339_UTC_RE);
}

describe('Access apps, policies and organization through the official cloudflare SDK', () => {
  let srv;
  let cf;
  let account_id;
  let token; // a service token the policies name

  before(async () => {
    srv = await startServer();
    account_id = srv.accountId;
    cf = new Cloudflare({ apiToken: srv.adminToken, baseURL: srv.adminBase, maxRetries: 0, timeout: 20_000 });
    token = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'sdk-ci' });
  });

  after(async () => {
    if (!srv) return;
    const { code, signal } = await srv.stop();
    assert.equal(code, 0, `gatehouse should exit 0 on SIGTERM (signal ${signal})\n${srv.stderr()}`);
  });

  let reusable;
  let app;

  test('reusable policies: create, get, list, update', async () => {
    reusable = await cf.zeroTrust.access.policies.create({
      account_id,
      name: 'CI service auth',
      decision: 'non_identity',
      include: [{ service_token: { token_id: token.id } }],
      exclude: [{ ip: { ip: '192.0.2.0/24' } }],
      session_duration: '1h',
    });
    assertPolicyShape(reusable);
    assert.equal(reusable.reusable, true);
    assert.equal(reusable.app_count, 0);
    assert.deepEqual(reusable.include, [{ service_token: { token_id: token.id } }]);
    assert.equal(reusable.session_duration, '1h');

    const got = await cf.zeroTrust.access.policies.get(reusable.id, { account_id });
    assert.deepEqual(got, reusable);

    const ids = [];
    for await (const p of cf.zeroTrust.access.policies.list({ account_id })) ids.push(p.id);
    assert.deepEqual(ids, [reusable.id]);

    const updated = await cf.zeroTrust.access.policies.update(reusable.id, {
      account_id,
      name: 'CI service auth',
      decision: 'non_identity',
      include: [{ service_token: { token_id: token.id } }, { any_valid_service_token: {} }],
    });
    assert.equal(updated.include.length, 2);
    assert.deepEqual(updated.exclude, reusable.exclude, 'fields not sent are kept');
    reusable = updated;
  });

  test('applications: create with a reusable link and an inline policy, get, list', async () => {
    app = await cf.zeroTrust.access.applications.create({
      account_id,
      type: 'self_hosted',
      name: 'Internal API',
      domain: 'api.internal.example/v1',
      destinations: [{ type: 'public', uri: 'api2.internal.example' }],
      session_duration: '8h',
      same_site_cookie_attribute: 'lax',
      policies: [
        { id: reusable.id, precedence: 1 },
        { name: 'office', decision: 'allow', include: [{ ip: { ip: '10.0.0.0/8' } }], precedence: 2 },
      ],
      // Gatehouse extension (compat.md §3): where the edge forwards.
      origin: 'http://127.0.0.1:3000',
    });
    assert.match(app.id, UUID_RE);
    assert.match(app.aud, AUD_RE);
    assert.equal(app.type, 'self_hosted');
    assert.equal(app.domain, 'api.internal.example/v1');
    assert.deepEqual(app.destinations, [{ type: 'public', uri: 'api2.internal.example' }]);
    assert.equal(app.session_duration, '8h');
    assert.equal(app.origin, 'http://127.0.0.1:3000');
    assert.match(app.created_at, RFC3339_UTC_RE);
    assert.equal(app.policies.length, 2);
    app.policies.forEach(assertPolicyShape);
    assert.deepEqual(app.policies.map((p) => [p.id === reusable.id, p.precedence]), [[true, 1], [false, 2]]);
    assert.equal(app.policies[1].name, 'office');

    const got = await cf.zeroTrust.access.applications.get(app.id, { account_id });
    assert.deepEqual(got, app);

    const listed = [];
    for await (const a of cf.zeroTrust.access.applications.list({ account_id })) listed.push(a.id);
    assert.deepEqual(listed, [app.id]);

    const p = await cf.zeroTrust.access.policies.get(reusable.id, { account_id });
    assert.equal(p.app_count, 1);
  });

  test('app-scoped policies: create, list, get, update, delete', async () => {
    const created = await cf.zeroTrust.access.applications.policies.create(app.id, {
      account_id,
      name: 'bypass health',
      decision: 'bypass',
      include: [{ everyone: {} }],
      precedence: 3,
    });
    assertPolicyShape(created);
    assert.equal(created.precedence, 3);

    const names = [];
    for await (const p of cf.zeroTrust.access.applications.policies.list(app.id, { account_id })) names.push(p.name);
    assert.deepEqual(names, ['CI service auth', 'office', 'bypass health']);

    const got = await cf.zeroTrust.access.applications.policies.get(created.id, { account_id, app_id: app.id });
    assert.deepEqual(got, created);

    const updated = await cf.zeroTrust.access.applications.policies.update(created.id, {
      account_id,
      app_id: app.id,
      name: 'bypass health',
      decision: 'bypass',
      include: [{ ip: { ip: '2001:db8::/32' } }],
      precedence: 5,
    });
    assert.equal(updated.precedence, 5);
    assert.deepEqual(updated.include, [{ ip: { ip: '2001:db8::/32' } }]);

    const deleted = await cf.zeroTrust.access.applications.policies.delete(created.id, { account_id, app_id: app.id });
    assert.equal(deleted.id, created.id);
    await assertRejects(
      cf.zeroTrust.access.applications.policies.get(created.id, { account_id, app_id: app.id }),
      Cloudflare.NotFoundError,
      404,
    );
  });

  test('bad input is a BadRequestError naming the problem', async () => {
    await assertRejects(
      cf.zeroTrust.access.policies.create({ account_id, name: 'geo', decision: 'allow', include: [{ geo: { country_code: 'US' } }] }),
      Cloudflare.BadRequestError,
      400,
      'rule type "geo" is not supported',
    );
    await assertRejects(
      cf.zeroTrust.access.applications.create({ account_id, type: 'saas', domain: 'x.example' }),
      Cloudflare.BadRequestError,
      400,
      'not supported',
    );
    await assertRejects(
      cf.zeroTrust.access.applications.create({ account_id, type: 'self_hosted', domain: 'https://x.example', origin: 'http://127.0.0.1:1' }),
      Cloudflare.BadRequestError,
      400,
      'scheme',
    );
  });

  test('a reusable policy in use cannot be deleted (ConflictError, not retried)', async () => {
    const err = await assertRejects(
      cf.zeroTrust.access.policies.delete(reusable.id, { account_id }),
      Cloudflare.ConflictError,
      409,
      'Internal API',
    );
    assert.equal(err.headers.get('x-should-retry'), 'false');
  });

  test('update an application and revoke its tokens', async () => {
    const updated = await cf.zeroTrust.access.applications.update(app.id, {
      account_id,
      type: 'self_hosted',
      domain: 'api.internal.example/v1',
      name: 'Internal API v1',
      policies: [reusable.id],
    });
    assert.equal(updated.name, 'Internal API v1');
    assert.equal(updated.aud, app.aud, 'aud never changes');
    assert.deepEqual(updated.policies.map((p) => p.id), [reusable.id], 'the inline policy was dropped');

    const revoked = await cf.zeroTrust.access.applications.revokeTokens(app.id, { account_id });
    assert.match(revoked.tokens_revoked_before, RFC3339_UTC_RE);
  });

  test('organization: list returns it, update changes and validates it', async () => {
    const org = await cf.zeroTrust.organizations.list({ account_id });
    assert.equal(typeof org.auth_domain, 'string');
    assert.equal(org.strict_service_token_auth, false);
    assert.deepEqual(Object.keys(org.service_token_inactivity).sort(), ['action', 'enabled', 'inactivity_threshold_days']);

    const updated = await cf.zeroTrust.organizations.update({
      account_id,
      name: 'SDK team',
      auth_domain: 'sdk-team.example.com',
      session_duration: '12h',
      service_token_inactivity: { enabled: true, inactivity_threshold_days: 60, action: 'disable' },
    });
    assert.equal(updated.name, 'SDK team');
    assert.equal(updated.auth_domain, 'sdk-team.example.com');
    assert.equal(updated.session_duration, '12h');
    assert.deepEqual(updated.service_token_inactivity, { enabled: true, inactivity_threshold_days: 60, action: 'disable' });
    assert.deepEqual(await cf.zeroTrust.organizations.list({ account_id }), updated);

    await assertRejects(
      cf.zeroTrust.organizations.update({
        account_id,
        service_token_inactivity: { enabled: true, inactivity_threshold_days: 7, action: 'disable' },
      }),
      Cloudflare.BadRequestError,
      400,
      '30 to 365',
    );
  });

  test('delete the application, then the policy', async () => {
    const deleted = await cf.zeroTrust.access.applications.delete(app.id, { account_id });
    assert.equal(deleted.id, app.id);
    await assertRejects(cf.zeroTrust.access.applications.get(app.id, { account_id }), Cloudflare.NotFoundError, 404);
    const gone = await cf.zeroTrust.access.policies.delete(reusable.id, { account_id });
    assert.equal(gone.id, reusable.id);
  });
});
