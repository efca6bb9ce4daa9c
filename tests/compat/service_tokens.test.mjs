// Compatibility: the official `cloudflare` TypeScript SDK (v7) against a real Gatehouse,
// service tokens (compat.md §1.1 envelope and errors, §1.2 service tokens).
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test compat/service_tokens.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import Cloudflare from 'cloudflare';

import { startServer } from './server.mjs';

const HOUR = 3600_000;
const TOLERANCE_MS = 5_000; // clock slack between this process and the server, and request latency

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLIENT_ID_RE = /^[0-9a-f]{32}\.access$/;
const CLIENT_SECRET_RE = /^cfast_[0-9A-Za-z]{40}[0-9a-f]{8}$/;
const RFC3339_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ERROR_MESSAGE_RE = /^access\.api\.error\.[a-z0-9_]+: \S/;

// CRC-32 (IEEE, the zlib variant) as 8 lowercase hex digits: the secret checksum documented
// in src/core/ids.hpp (compat.md §1.2: "define it, document it").
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32hex(str) {
  let c = 0xffffffff;
  for (const byte of Buffer.from(str, 'utf8')) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

function assertSecret(secret) {
  assert.equal(typeof secret, 'string', 'client_secret must be a string');
  assert.match(secret, CLIENT_SECRET_RE);
  assert.equal(secret.slice(46), crc32hex(secret.slice(0, 46)), 'client_secret checksum (CRC-32 of the first 46 chars)');
}

function ms(rfc3339, what) {
  assert.equal(typeof rfc3339, 'string', `${what} must be an RFC 3339 string, got ${JSON.stringify(rfc3339)}`);
  assert.match(rfc3339, RFC3339_UTC_RE, `${what} must be RFC 3339 UTC`);
  const t = Date.parse(rfc3339);
  assert.ok(Number.isFinite(t), `${what} must parse: ${rfc3339}`);
  return t;
}

/** Asserts that the instant `actual` (RFC 3339) lies in [lo - tol, hi + tol] (epoch ms). */
function assertInstantBetween(actual, lo, hi, what) {
  const t = ms(actual, what);
  assert.ok(
    t >= lo - TOLERANCE_MS && t <= hi + TOLERANCE_MS,
    `${what} = ${actual}, expected between ${new Date(lo).toISOString()} and ${new Date(hi).toISOString()} (±${TOLERANCE_MS} ms)`,
  );
}

/** Second-precision RFC 3339 UTC, e.g. 2026-01-02T03:04:05Z. */
function rfc3339(epochMs) {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every field of the token object of compat.md §1.2, with the right types. */
function assertTokenShape(tok, { withSecret }) {
  assert.equal(typeof tok, 'object');
  assert.match(tok.id, UUID_RE, 'id is a UUID');
  assert.equal(typeof tok.name, 'string');
  assert.match(tok.client_id, CLIENT_ID_RE);
  assert.equal(typeof tok.duration, 'string');
  assert.equal(typeof tok.enabled, 'boolean');
  if (tok.duration === 'forever') assert.equal(tok.expires_at, null, 'forever tokens have expires_at null');
  else ms(tok.expires_at, 'expires_at');
  ms(tok.created_at, 'created_at');
  ms(tok.updated_at, 'updated_at');
  assert.ok('last_seen_at' in tok, 'last_seen_at present');
  if (tok.last_seen_at !== null) ms(tok.last_seen_at, 'last_seen_at');
  assert.ok(Number.isInteger(tok.client_secret_version), 'client_secret_version is an integer');
  assert.ok(tok.client_secret_version >= 1);
  assert.ok('previous_client_secret_expires_at' in tok, 'previous_client_secret_expires_at present');
  if (tok.previous_client_secret_expires_at !== null) {
    ms(tok.previous_client_secret_expires_at, 'previous_client_secret_expires_at');
  }
  if (withSecret) assertSecret(tok.client_secret);
  else assert.ok(!('client_secret' in tok), `client_secret must not be returned here, got ${JSON.stringify(tok)}`);
}

async function assertRejects(promise, ErrorClass, status, check) {
  let caught;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${ErrorClass.name} (${status}), but the call succeeded`);
  assert.ok(
    caught instanceof ErrorClass,
    `expected ${ErrorClass.name}, got ${caught?.constructor?.name}: ${caught?.message}`,
  );
  assert.equal(caught.status, status);
  assert.ok(Array.isArray(caught.errors) && caught.errors.length > 0, 'errors[] is non-empty');
  for (const e of caught.errors) {
    assert.ok(Number.isInteger(e.code), `errors[].code is an integer: ${JSON.stringify(e)}`);
    assert.match(e.message, ERROR_MESSAGE_RE);
  }
  check?.(caught);
  return caught;
}

describe('service tokens through the official cloudflare SDK', () => {
  let srv;
  let cf;
  let account_id;
  /** Every request the SDK made: {method, url, status}. */
  const wire = [];

  before(async () => {
    srv = await startServer();
    account_id = srv.accountId;
    const recordingFetch = async (url, init) => {
      const res = await fetch(url, init);
      wire.push({ method: init?.method ?? 'GET', url: String(url), status: res.status });
      return res;
    };
    cf = new Cloudflare({
      apiToken: srv.adminToken,
      baseURL: srv.adminBase,
      maxRetries: 0,
      timeout: 20_000,
      fetch: recordingFetch,
    });
  });

  after(async () => {
    if (!srv) return;
    const { code, signal } = await srv.stop();
    assert.equal(code, 0, `gatehouse should exit 0 on SIGTERM (signal ${signal})\n${srv.stderr()}`);
  });

  // State shared by the lifecycle tests below (they run in order).
  let created; // the create() result, with client_secret
  let firstSecret;

  test('create returns the token with its secret, expires_at = now + duration, version 1', async () => {
    const t0 = Date.now();
    created = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'ci-deploy', duration: '24h' });
    const t1 = Date.now();
    assertTokenShape(created, { withSecret: true });
    firstSecret = created.client_secret;
    assert.equal(created.name, 'ci-deploy');
    assert.equal(created.duration, '24h');
    assert.equal(created.enabled, true);
    assert.equal(created.client_secret_version, 1);
    assert.equal(created.previous_client_secret_expires_at, null);
    assert.equal(created.last_seen_at, null);
    assertInstantBetween(created.expires_at, t0 + 24 * HOUR, t1 + 24 * HOUR, 'expires_at');
    assertInstantBetween(created.created_at, t0, t1, 'created_at');
  });

  test('create defaults: duration 8760h, enabled true', async () => {
    const t0 = Date.now();
    const tok = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'defaults' });
    const t1 = Date.now();
    assertTokenShape(tok, { withSecret: true });
    assert.equal(tok.duration, '8760h');
    assert.equal(tok.enabled, true);
    assertInstantBetween(tok.expires_at, t0 + 8760 * HOUR, t1 + 8760 * HOUR, 'expires_at');
    assert.notEqual(tok.client_secret, firstSecret);
    assert.notEqual(tok.client_id, created.client_id);
    await cf.zeroTrust.access.serviceTokens.delete(tok.id, { account_id });
  });

  test('get returns the token without client_secret', async () => {
    const tok = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    assertTokenShape(tok, { withSecret: false });
    const { client_secret, ...rest } = created;
    assert.deepEqual(tok, rest);
  });

  test('list auto-paginates (per_page 10) and sees each of 25 tokens exactly once', async () => {
    const mine = new Set();
    for (let i = 0; i < 25; i++) {
      const tok = await cf.zeroTrust.access.serviceTokens.create({
        account_id,
        name: `page-${String(i).padStart(2, '0')}`,
        duration: '1h',
      });
      mine.add(tok.id);
    }
    const seen = new Map();
    const wireStart = wire.length;
    for await (const tok of cf.zeroTrust.access.serviceTokens.list({ account_id, per_page: 10 })) {
      assertTokenShape(tok, { withSecret: false });
      seen.set(tok.id, (seen.get(tok.id) ?? 0) + 1);
    }
    for (const [id, n] of seen) assert.equal(n, 1, `token ${id} listed ${n} times`);
    for (const id of mine) assert.ok(seen.has(id), `token ${id} missing from the listing`);
    assert.ok(seen.has(created.id));
    const total = mine.size + 1; // + 'ci-deploy'
    assert.equal(seen.size, total);

    // The SDK asked for pages 1..4 with per_page=10; page 4 (past the end) was 200 with [].
    const lists = wire.slice(wireStart);
    assert.equal(lists.length, Math.ceil(total / 10) + 1, JSON.stringify(lists));
    lists.forEach((r, i) => {
      assert.equal(r.method, 'GET');
      assert.equal(r.status, 200, `${r.url} -> ${r.status}`);
      const q = new URL(r.url).searchParams;
      assert.equal(q.get('per_page'), '10');
      if (i > 0) assert.equal(q.get('page'), String(i + 1));
    });
  });

  test('list pages carry result_info', async () => {
    const first = await cf.zeroTrust.access.serviceTokens.list({ account_id, per_page: 10 });
    assert.equal(first.result.length, 10);
    assert.deepEqual(first.result_info, { page: 1, per_page: 10, count: 10, total_count: 26, total_pages: 3 });
    const last = await cf.zeroTrust.access.serviceTokens.list({ account_id, per_page: 10, page: 3 });
    assert.equal(last.result.length, 6);
    assert.deepEqual(last.result_info, { page: 3, per_page: 10, count: 6, total_count: 26, total_pages: 3 });
    const past = await cf.zeroTrust.access.serviceTokens.list({ account_id, per_page: 10, page: 4 });
    assert.deepEqual(past.result, []);
    assert.equal(past.hasNextPage(), false);
  });

  test('list filters: name (exact) and search (substring of name or client_id)', async () => {
    const byName = [];
    for await (const t of cf.zeroTrust.access.serviceTokens.list({ account_id, name: 'page-07' })) byName.push(t);
    assert.deepEqual(byName.map((t) => t.name), ['page-07']);

    const noPartial = [];
    for await (const t of cf.zeroTrust.access.serviceTokens.list({ account_id, name: 'page-0' })) noPartial.push(t);
    assert.deepEqual(noPartial, [], 'name is an exact match');

    const bySearch = [];
    for await (const t of cf.zeroTrust.access.serviceTokens.list({ account_id, search: 'page-1' })) bySearch.push(t);
    assert.deepEqual(
      bySearch.map((t) => t.name).sort(),
      Array.from({ length: 10 }, (_, i) => `page-1${i}`),
    );

    const byClientId = [];
    const fragment = created.client_id.slice(3, 19);
    for await (const t of cf.zeroTrust.access.serviceTokens.list({ account_id, search: fragment })) {
      byClientId.push(t);
    }
    assert.deepEqual(byClientId.map((t) => t.id), [created.id]);
  });

  test('update name and duration: expires_at = now + new duration', async () => {
    const t0 = Date.now();
    const tok = await cf.zeroTrust.access.serviceTokens.update(created.id, {
      account_id,
      name: 'ci-deploy-renamed',
      duration: '48h',
    });
    const t1 = Date.now();
    assertTokenShape(tok, { withSecret: false });
    assert.equal(tok.id, created.id);
    assert.equal(tok.client_id, created.client_id);
    assert.equal(tok.name, 'ci-deploy-renamed');
    assert.equal(tok.duration, '48h');
    assertInstantBetween(tok.expires_at, t0 + 48 * HOUR, t1 + 48 * HOUR, 'expires_at');
    assertInstantBetween(tok.updated_at, t0, t1, 'updated_at');
    assert.equal(tok.created_at, created.created_at);
    assert.equal(tok.client_secret_version, 1);

    const again = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    assert.deepEqual(again, tok);
  });

  test('refresh: expires_at = max(now, old expires_at) + 8760h (old in the future)', async () => {
    const before = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    const tok = await cf.zeroTrust.access.serviceTokens.refresh(created.id, { account_id });
    assertTokenShape(tok, { withSecret: false });
    assert.equal(tok.id, created.id);
    assert.equal(ms(tok.expires_at, 'expires_at'), ms(before.expires_at, 'old expires_at') + 8760 * HOUR);
    assert.equal(tok.name, before.name);
    assert.equal(tok.duration, before.duration);
    assert.equal(tok.client_secret_version, before.client_secret_version);
  });

  test('refresh of an already expired token: expires_at = now + 8760h', async () => {
    const short = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'short-lived', duration: '1ms' });
    const t0 = Date.now();
    const tok = await cf.zeroTrust.access.serviceTokens.refresh(short.id, { account_id });
    const t1 = Date.now();
    assertInstantBetween(tok.expires_at, t0 + 8760 * HOUR, t1 + 8760 * HOUR, 'expires_at');
    await cf.zeroTrust.access.serviceTokens.delete(short.id, { account_id });
  });

  test('forever tokens: expires_at null on create and after refresh', async () => {
    const tok = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'forever', duration: 'forever' });
    assertTokenShape(tok, { withSecret: true });
    assert.equal(tok.duration, 'forever');
    assert.equal(tok.expires_at, null);
    const refreshed = await cf.zeroTrust.access.serviceTokens.refresh(tok.id, { account_id });
    assert.equal(refreshed.expires_at, null);
    assert.equal(refreshed.duration, 'forever');
    await cf.zeroTrust.access.serviceTokens.delete(tok.id, { account_id });
  });

  let secondSecret;

  test('rotate with a grace period: new secret, version 2, previous_client_secret_expires_at echoed', async () => {
    const grace = rfc3339(Date.now() + HOUR);
    const before = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    const tok = await cf.zeroTrust.access.serviceTokens.rotate(created.id, {
      account_id,
      previous_client_secret_expires_at: grace,
    });
    assertTokenShape(tok, { withSecret: true });
    secondSecret = tok.client_secret;
    assert.notEqual(secondSecret, firstSecret);
    assert.equal(tok.id, created.id);
    assert.equal(tok.client_id, created.client_id, 'rotate keeps client_id');
    assert.equal(tok.client_secret_version, 2);
    assert.equal(ms(tok.previous_client_secret_expires_at, 'previous_client_secret_expires_at'), Date.parse(grace));
    assert.equal(tok.expires_at, before.expires_at, 'rotate does not move expires_at');

    const got = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    assertTokenShape(got, { withSecret: false });
    assert.equal(got.client_secret_version, 2);
    assert.equal(ms(got.previous_client_secret_expires_at, 'previous_client_secret_expires_at'), Date.parse(grace));
  });

  test('update previous_client_secret_expires_at moves the grace instant forward, then into the past', async () => {
    const later = rfc3339(Date.now() + 2 * HOUR);
    const before = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    const tok = await cf.zeroTrust.access.serviceTokens.update(created.id, {
      account_id,
      previous_client_secret_expires_at: later,
    });
    assertTokenShape(tok, { withSecret: false });
    assert.equal(ms(tok.previous_client_secret_expires_at, 'previous_client_secret_expires_at'), Date.parse(later));
    assert.equal(tok.expires_at, before.expires_at, 'no duration given: expires_at unchanged');
    assert.equal(tok.client_secret_version, 2);

    // Into the past: the previous secret stops working now (stored as the given instant or
    // clamped to now; either way not in the future).
    const t0 = Date.now();
    const ended = await cf.zeroTrust.access.serviceTokens.update(created.id, {
      account_id,
      previous_client_secret_expires_at: rfc3339(t0 - HOUR),
    });
    const t1 = Date.now();
    const endedAt = ms(ended.previous_client_secret_expires_at, 'previous_client_secret_expires_at');
    assert.ok(endedAt <= t1 + TOLERANCE_MS, `previous secret must have stopped: ${ended.previous_client_secret_expires_at}`);
    assert.ok(endedAt >= t0 - HOUR - TOLERANCE_MS);
    assert.equal(ended.client_secret_version, 2);
  });

  test('reviving an ended previous secret is refused: 409 ConflictError with x-should-retry: false', async () => {
    const err = await assertRejects(
      cf.zeroTrust.access.serviceTokens.update(created.id, {
        account_id,
        previous_client_secret_expires_at: rfc3339(Date.now() + HOUR),
      }),
      Cloudflare.ConflictError,
      409,
    );
    assert.equal(err.headers.get('x-should-retry'), 'false', 'a 409 must not be retried by the SDK');
  });

  test('rotate without a grace period: previous secret expires now', async () => {
    const t0 = Date.now();
    const tok = await cf.zeroTrust.access.serviceTokens.rotate(created.id, { account_id });
    const t1 = Date.now();
    assertTokenShape(tok, { withSecret: true });
    assert.notEqual(tok.client_secret, secondSecret);
    assert.notEqual(tok.client_secret, firstSecret);
    assert.equal(tok.client_id, created.client_id);
    assert.equal(tok.client_secret_version, 3);
    assertInstantBetween(tok.previous_client_secret_expires_at, t0, t1, 'previous_client_secret_expires_at');
  });

  test('disable and enable through update({enabled})', async () => {
    const before = await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id });
    const off = await cf.zeroTrust.access.serviceTokens.update(created.id, { account_id, enabled: false });
    assert.equal(off.enabled, false);
    assert.equal(off.expires_at, before.expires_at, 'no duration given: expires_at unchanged');
    assert.equal(off.name, before.name);
    assert.equal((await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id })).enabled, false);

    const on = await cf.zeroTrust.access.serviceTokens.update(created.id, { account_id, enabled: true });
    assert.equal(on.enabled, true);
    assert.equal(on.expires_at, before.expires_at);
    assert.equal((await cf.zeroTrust.access.serviceTokens.get(created.id, { account_id })).enabled, true);
  });

  test('create disabled', async () => {
    const tok = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'born-off', enabled: false });
    assertTokenShape(tok, { withSecret: true });
    assert.equal(tok.enabled, false);
    await cf.zeroTrust.access.serviceTokens.delete(tok.id, { account_id });
  });

  test('delete returns the token; afterwards get, update and delete are 404 NotFoundError', async () => {
    const gone = await cf.zeroTrust.access.serviceTokens.delete(created.id, { account_id });
    assertTokenShape(gone, { withSecret: false });
    assert.equal(gone.id, created.id);
    assert.equal(gone.client_id, created.client_id);

    await assertRejects(cf.zeroTrust.access.serviceTokens.get(created.id, { account_id }), Cloudflare.NotFoundError, 404);
    await assertRejects(
      cf.zeroTrust.access.serviceTokens.update(created.id, { account_id, name: 'x' }),
      Cloudflare.NotFoundError,
      404,
    );
    await assertRejects(cf.zeroTrust.access.serviceTokens.refresh(created.id, { account_id }), Cloudflare.NotFoundError, 404);
    await assertRejects(cf.zeroTrust.access.serviceTokens.rotate(created.id, { account_id }), Cloudflare.NotFoundError, 404);
    await assertRejects(cf.zeroTrust.access.serviceTokens.delete(created.id, { account_id }), Cloudflare.NotFoundError, 404);

    for await (const t of cf.zeroTrust.access.serviceTokens.list({ account_id, per_page: 50 })) {
      assert.notEqual(t.id, created.id, 'deleted token still listed');
    }
  });

  test('errors: invalid duration "1y" is 400 BadRequestError naming invalid_duration', async () => {
    const err = await assertRejects(
      cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'bad', duration: '1y' }),
      Cloudflare.BadRequestError,
      400,
    );
    assert.match(err.message, /invalid_duration/);
  });

  test('errors: other invalid durations and names are 400', async () => {
    for (const duration of ['0s', '-1h', '', 'h', '1.5.h', '9999999999999999999h']) {
      await assertRejects(
        cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'bad', duration }),
        Cloudflare.BadRequestError,
        400,
      );
    }
    await assertRejects(
      cf.zeroTrust.access.serviceTokens.create({ account_id, name: '' }),
      Cloudflare.BadRequestError,
      400,
    );
    await assertRejects(
      cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'x'.repeat(257) }),
      Cloudflare.BadRequestError,
      400,
    );
    await assertRejects(
      cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'bad', enabled: 'yes' }),
      Cloudflare.BadRequestError,
      400,
    );
  });

  test('errors: a wrong API token is 401 AuthenticationError', async () => {
    const wrong = new Cloudflare({
      apiToken: 'gat_' + 'A'.repeat(40) + '00000000',
      baseURL: srv.adminBase,
      maxRetries: 0,
    });
    await assertRejects(wrong.zeroTrust.access.serviceTokens.list({ account_id }), Cloudflare.AuthenticationError, 401);
    // Well-formed (valid checksum) but unknown token: still 401.
    const body = 'gat_' + 'B'.repeat(40);
    const unknown = new Cloudflare({ apiToken: body + crc32hex(body), baseURL: srv.adminBase, maxRetries: 0 });
    await assertRejects(
      unknown.zeroTrust.access.serviceTokens.create({ account_id, name: 'nope' }),
      Cloudflare.AuthenticationError,
      401,
    );
  });

  test('errors: an unknown token id or account is 404 NotFoundError', async () => {
    await assertRejects(
      cf.zeroTrust.access.serviceTokens.get('00000000-0000-4000-8000-000000000000', { account_id }),
      Cloudflare.NotFoundError,
      404,
    );
    await assertRejects(
      cf.zeroTrust.access.serviceTokens.list({ account_id: 'f'.repeat(32) }),
      Cloudflare.NotFoundError,
      404,
    );
  });
});

describe('raw HTTP envelope (compat.md §1.1)', () => {
  let srv;
  let base;
  let auth;

  before(async () => {
    srv = await startServer();
    base = `${srv.adminBase}/accounts/${srv.accountId}/access/service_tokens`;
    auth = { Authorization: `Bearer ${srv.adminToken}` };
  });

  after(async () => {
    if (!srv) return;
    const { code, signal } = await srv.stop();
    assert.equal(code, 0, `gatehouse should exit 0 on SIGTERM (signal ${signal})\n${srv.stderr()}`);
  });

  async function call(method, url, { headers = {}, body } = {}) {
    const res = await fetch(url, { method, headers: { ...auth, ...headers }, body });
    const text = await res.text();
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/, `${method} ${url}: Content-Type`);
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      assert.fail(`${method} ${url} -> ${res.status}: body is not JSON: ${text}`);
    }
    return { status: res.status, headers: res.headers, json };
  }

  function assertEnvelope(json, { success }) {
    assert.equal(json.success, success);
    assert.ok(Array.isArray(json.errors), 'errors is an array');
    assert.ok(Array.isArray(json.messages), 'messages is an array');
    assert.ok('result' in json, 'result is present');
    if (success) {
      assert.deepEqual(json.errors, []);
    } else {
      assert.ok(json.errors.length > 0);
      for (const e of json.errors) {
        assert.ok(Number.isInteger(e.code), `errors[].code is an integer: ${JSON.stringify(e)}`);
        assert.equal(typeof e.message, 'string');
        assert.match(e.message, ERROR_MESSAGE_RE);
      }
      assert.equal(json.result, null);
    }
  }

  function assertResultInfo(ri, expected) {
    assert.equal(typeof ri, 'object');
    for (const k of ['page', 'per_page', 'count', 'total_count', 'total_pages']) {
      assert.ok(Number.isInteger(ri[k]), `result_info.${k} is an integer: ${JSON.stringify(ri)}`);
    }
    assert.deepEqual(ri, expected);
  }

  test('create, get, list, page past the end: success envelopes', async () => {
    const c = await call('POST', base, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'raw', duration: '1h', unknown_field: 1 }),
    });
    assert.ok(c.status === 200 || c.status === 201, `create status ${c.status}`);
    assertEnvelope(c.json, { success: true });
    assertTokenShape(c.json.result, { withSecret: true });

    const g = await call('GET', `${base}/${c.json.result.id}`);
    assert.equal(g.status, 200);
    assertEnvelope(g.json, { success: true });
    assertTokenShape(g.json.result, { withSecret: false });

    const l = await call('GET', base);
    assert.equal(l.status, 200);
    assertEnvelope(l.json, { success: true });
    assert.equal(l.json.result.length, 1);
    assertResultInfo(l.json.result_info, { page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 });

    const p = await call('GET', `${base}?page=7&per_page=5`);
    assert.equal(p.status, 200);
    assertEnvelope(p.json, { success: true });
    assert.deepEqual(p.json.result, []);
    assertResultInfo(p.json.result_info, { page: 7, per_page: 5, count: 0, total_count: 1, total_pages: 1 });

    const r = await call('POST', `${base}/${c.json.result.id}/refresh`); // no body, no Content-Type
    assert.equal(r.status, 200);
    assertEnvelope(r.json, { success: true });
    assertTokenShape(r.json.result, { withSecret: false });
  });

  test('rotate with no body and no Content-Type (as curl -X POST sends it): previous secret expires now', async () => {
    const c = await call('POST', base, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'raw-rotate' }),
    });
    const t0 = Date.now();
    const r = await call('POST', `${base}/${c.json.result.id}/rotate`);
    const t1 = Date.now();
    assert.equal(r.status, 200);
    assertEnvelope(r.json, { success: true });
    assertTokenShape(r.json.result, { withSecret: true });
    assert.notEqual(r.json.result.client_secret, c.json.result.client_secret);
    assert.equal(r.json.result.client_secret_version, 2);
    assertInstantBetween(r.json.result.previous_client_secret_expires_at, t0, t1, 'previous_client_secret_expires_at');
  });

  test('error envelopes: 401, 404, 400', async () => {
    const noAuth = await fetch(base);
    assert.equal(noAuth.status, 401);
    assertEnvelope(await noAuth.json(), { success: false });

    const badAuth = await call('GET', base, { headers: { Authorization: 'Bearer nope' } });
    assert.equal(badAuth.status, 401);
    assertEnvelope(badAuth.json, { success: false });

    const nf = await call('GET', `${base}/00000000-0000-4000-8000-000000000000`);
    assert.equal(nf.status, 404);
    assertEnvelope(nf.json, { success: false });

    const bad = await call('POST', base, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x', duration: '1y' }),
    });
    assert.equal(bad.status, 400);
    assertEnvelope(bad.json, { success: false });
    assert.match(bad.json.errors[0].message, /invalid_duration/);

    const malformed = await call('POST', base, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    assert.equal(malformed.status, 400);
    assertEnvelope(malformed.json, { success: false });

    const wrongType = await call('POST', base, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 42 }),
    });
    assert.equal(wrongType.status, 400);
    assertEnvelope(wrongType.json, { success: false });
  });
});
