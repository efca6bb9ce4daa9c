// Compatibility: the official `cloudflare` TypeScript SDK (v7) against a real Gatehouse,
// alerting (compat.md §1.5): client.alerting.policies.*, destinations.webhooks.*,
// availableAlerts.list and history.list.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test compat/alerting.test.mjs
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import Cloudflare from 'cloudflare';

import { startServer } from './server.mjs';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ERROR_MESSAGE_RE = /^access\.api\.error\.[a-z0-9_]+: \S/;
const DEADLINE_MS = 60_000;

/** Polls `fn` until it returns a truthy value, or fails after DEADLINE_MS. */
async function poll(fn, what) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function all(pagePromise) {
  const out = [];
  for await (const item of pagePromise) out.push(item);
  return out;
}

async function assertBadRequest(promise, fieldInMessage) {
  let caught;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Cloudflare.BadRequestError, `expected BadRequestError, got ${caught}`);
  assert.equal(caught.status, 400);
  for (const e of caught.errors) assert.match(e.message, ERROR_MESSAGE_RE);
  assert.ok(
    caught.errors.some((e) => e.message.includes(fieldInMessage)),
    `an error names ${fieldInMessage}: ${JSON.stringify(caught.errors)}`,
  );
}

describe('alerting through the official cloudflare SDK', () => {
  let srv;
  let cf;
  let account_id;
  let receiver;
  const posts = [];

  before(async () => {
    // A webhook receiver on loopback.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    srv = await startServer({
      env: {
        GATEHOUSE_ALERT_INTERVAL: '1s',
        GATEHOUSE_ALERT_RETRY_INITIAL: '100ms',
        GATEHOUSE_ALERT_RETRY_MAX: '500ms',
      },
    });
    account_id = srv.accountId;
    cf = new Cloudflare({ apiToken: srv.adminToken, baseURL: srv.adminBase, maxRetries: 0, timeout: 20_000 });
  });

  after(async () => {
    receiver?.close();
    if (!srv) return;
    const { code, signal } = await srv.stop();
    assert.equal(code, 0, `gatehouse should exit 0 on SIGTERM (signal ${signal})\n${srv.stderr()}`);
  });

  let webhookId;
  let policyId;
  let token;

  test('availableAlerts.list offers expiring_service_token_alert, grouped', async () => {
    const groups = await cf.alerting.availableAlerts.list({ account_id });
    const items = Object.values(groups).flat();
    const alert = items.find((a) => a.type === 'expiring_service_token_alert');
    assert.ok(alert, JSON.stringify(groups));
    assert.equal(typeof alert.display_name, 'string');
    assert.equal(typeof alert.description, 'string');
  });

  test('destinations.webhooks: create, get, list, update (the secret is write-only)', async () => {
    const url = `http://127.0.0.1:${receiver.address().port}/hook`;
    const created = await cf.alerting.destinations.webhooks.create({
      account_id,
      name: 'sdk-hook',
      url,
      secret: 'sdk-secret',
    });
    assert.match(created.id, UUID_RE);
    webhookId = created.id;
    const got = await cf.alerting.destinations.webhooks.get(webhookId, { account_id });
    assert.equal(got.name, 'sdk-hook');
    assert.equal(got.url, url);
    assert.equal(got.type, 'generic');
    assert.ok(!('secret' in got));
    const listed = await all(cf.alerting.destinations.webhooks.list({ account_id }));
    assert.deepEqual(
      listed.map((w) => w.id),
      [webhookId],
    );
    const updated = await cf.alerting.destinations.webhooks.update(webhookId, { account_id, name: 'sdk-hook-2', url });
    assert.equal(updated.id, webhookId);
    assert.equal((await cf.alerting.destinations.webhooks.get(webhookId, { account_id })).name, 'sdk-hook-2');
  });

  test('policies: create, get, list, update', async () => {
    token = await cf.zeroTrust.access.serviceTokens.create({ account_id, name: 'sdk-expiring', duration: '72h' });
    const created = await cf.alerting.policies.create({
      account_id,
      name: 'sdk-policy',
      alert_type: 'expiring_service_token_alert',
      enabled: true,
      mechanisms: { webhooks: [{ id: webhookId }] },
      filters: { token_id: [token.id] },
      description: 'from the SDK',
    });
    assert.match(created.id, UUID_RE);
    policyId = created.id;
    const got = await cf.alerting.policies.get(policyId, { account_id });
    assert.equal(got.name, 'sdk-policy');
    assert.equal(got.alert_type, 'expiring_service_token_alert');
    assert.equal(got.enabled, true);
    assert.deepEqual(got.mechanisms.webhooks, [{ id: webhookId }]);
    assert.deepEqual(got.filters, { token_id: [token.id] });
    assert.ok(got.created && got.modified);
    const listed = await all(cf.alerting.policies.list({ account_id }));
    assert.deepEqual(
      listed.map((p) => p.id),
      [policyId],
    );
    const updated = await cf.alerting.policies.update(policyId, { account_id, description: 'changed' });
    assert.equal(updated.id, policyId);
    const after = await cf.alerting.policies.get(policyId, { account_id });
    assert.equal(after.description, 'changed');
    assert.deepEqual(after.mechanisms.webhooks, [{ id: webhookId }], 'fields not sent are kept');
  });

  test('the alert reaches the webhook with cf-webhook-auth, and history.list shows it', async () => {
    const post = await poll(() => posts.find((p) => p.body.alert_type === 'expiring_service_token_alert'), 'the alert');
    assert.equal(post.headers['cf-webhook-auth'], 'sdk-secret');
    assert.equal(post.body.policy_id, policyId);
    assert.equal(post.body.data.id, token.id);
    assert.equal(post.body.data.client_id, token.client_id);
    const history = await poll(async () => {
      const h = await all(cf.alerting.history.list({ account_id, per_page: 5 }));
      return h.length && h.every((x) => x.sent) ? h : null;
    }, 'history with sent times');
    assert.equal(history.length, 1);
    assert.equal(history[0].policy_id, policyId);
    assert.equal(history[0].mechanism_type, 'webhook');
    assert.equal(history[0].mechanism, webhookId);
    assert.equal(history[0].alert_type, 'expiring_service_token_alert');
    assert.equal(JSON.parse(history[0].alert_body).data.id, token.id);
    const since = new Date(Date.now() + 3600_000).toISOString();
    assert.deepEqual(await all(cf.alerting.history.list({ account_id, since })), []);
  });

  test('bad input is a BadRequestError naming the field', async () => {
    const base = { account_id, name: 'bad', enabled: true, mechanisms: { email: [{ id: 'ops@example.com' }] } };
    await assertBadRequest(cf.alerting.policies.create({ ...base, alert_type: 'universal_ssl_event_type' }), 'alert_type');
    await assertBadRequest(
      cf.alerting.policies.create({
        ...base,
        alert_type: 'expiring_service_token_alert',
        mechanisms: { email: [{ id: 'not-an-email' }] },
      }),
      'mechanisms.email[0].id',
    );
    await assertBadRequest(
      cf.alerting.policies.create({
        ...base,
        alert_type: 'expiring_service_token_alert',
        mechanisms: { webhooks: [{ id: '00000000-0000-4000-8000-000000000000' }] },
      }),
      'mechanisms.webhooks[0].id',
    );
    await assertBadRequest(
      cf.alerting.policies.create({
        ...base,
        alert_type: 'expiring_service_token_alert',
        filters: { token_id: ['00000000-0000-4000-8000-000000000000'] },
      }),
      'filters.token_id[0]',
    );
    await assertBadRequest(cf.alerting.destinations.webhooks.create({ account_id, name: 'x', url: 'ftp://x' }), 'url');
    assert.equal((await all(cf.alerting.policies.list({ account_id }))).length, 1);
  });

  test('delete: a webhook in use is a conflict; policy then webhook', async () => {
    let caught;
    try {
      await cf.alerting.destinations.webhooks.delete(webhookId, { account_id });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof Cloudflare.ConflictError, `expected ConflictError, got ${caught}`);
    const p = await cf.alerting.policies.delete(policyId, { account_id });
    assert.equal(p.success, true);
    const w = await cf.alerting.destinations.webhooks.delete(webhookId, { account_id });
    assert.equal(w.success, true);
    assert.deepEqual(await all(cf.alerting.policies.list({ account_id })), []);
    assert.deepEqual(await all(cf.alerting.destinations.webhooks.list({ account_id })), []);
  });
});
