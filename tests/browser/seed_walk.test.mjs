// The seed's steps end to end in a real browser (issue 5): sign in → create a token →
// copy the secret → create an app with a Service Auth policy naming it → a request with
// the two headers reaches the origin → refresh → edit duration → rotate → delete → the
// request is refused.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test browser/seed_walk.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../compat/server.mjs';
import {
  adminApi,
  dashboardOrigin,
  edgeRequest,
  launchBrowser,
  screenshot,
  signIn,
  startOrigin,
  tokenHeaders,
  watchPage,
} from './harness.mjs';

const YEAR_MS = 8760 * 3600_000;
const SLACK_MS = 120_000;
const CLIENT_ID_RE = /^[0-9a-f]{32}\.access$/;
const CLIENT_SECRET_RE = /^cfast_[0-9A-Za-z]{40}[0-9a-f]{8}$/;
const APP_HOST = 'seed.gatehouse.test';

let srv;
let origin;
let browser;

before(async () => {
  srv = await startServer();
  origin = await startOrigin();
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboardOrigin(srv) });
});

after(async () => {
  await browser?.close();
  await origin?.close();
  await srv?.stop();
});

async function tokenByName(name) {
  const r = await adminApi(srv, 'GET', `/access/service_tokens?name=${encodeURIComponent(name)}`);
  assert.equal(r.status, 200);
  return r.body.result[0];
}

function assertNear(iso, expectedMs, what) {
  const t = Date.parse(iso);
  assert.ok(Math.abs(t - expectedMs) < SLACK_MS, `${what}: ${iso}, expected about ${new Date(expectedMs).toISOString()}`);
}

test('the banner shows the dashboard URL', () => {
  const line = srv.stdout.find((l) => /^\s+dashboard\s+/.test(l));
  assert.ok(line, `no dashboard line in the banner:\n${srv.stdout.join('\n')}`);
  assert.equal(line.trim().split(/\s+/)[1], `${dashboardOrigin(srv)}/`);
});

test('seed walk: token lifecycle and a protected app, all through the dashboard', async () => {
  const page = await browser.context.newPage();
  const problems = watchPage(page);

  // Sign in.
  await signIn(page, srv);
  await page.getByText('No service tokens yet').waitFor();
  await screenshot(page, 'seed-01-tokens-empty');

  // Create a token (default duration: 1 year).
  await page.getByRole('button', { name: 'Create service token' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Service token name').fill('ci-deploy');
  assert.equal(await dialog.getByLabel('Service token duration').inputValue(), '8760h');
  await dialog.getByRole('button', { name: 'Generate token' }).click();
  await dialog.getByRole('heading', { name: 'Service token created' }).waitFor();
  await dialog.getByText('It will not be shown again').waitFor();
  const clientId = (await dialog.getByTestId('client-id').textContent()).trim();
  const secret = (await dialog.getByTestId('client-secret').textContent()).trim();
  assert.match(clientId, CLIENT_ID_RE);
  assert.match(secret, CLIENT_SECRET_RE);
  const headerLines = await dialog.getByTestId('headers').textContent();
  assert.equal(headerLines, `CF-Access-Client-Id: ${clientId}\nCF-Access-Client-Secret: ${secret}`);
  assert.match(await dialog.getByTestId('curl').textContent(), new RegExp(`CF-Access-Client-Secret: ${secret}`));

  // Copy the secret: the clipboard holds it and the button says so.
  const copy = dialog.getByRole('button', { name: 'Copy Client Secret' });
  await copy.click();
  await assert.doesNotReject(() => copy.filter({ hasText: 'Copied' }).waitFor());
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clipboard, secret, 'the clipboard holds the Client Secret');
  await screenshot(page, 'seed-02-token-created');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });

  const row = page.locator('tr', { hasText: 'ci-deploy' });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(clientId.replace('.', '\\.')));
  const created = await tokenByName('ci-deploy');
  assertNear(created.expires_at, Date.now() + YEAR_MS, 'expires_at after create');

  // An app whose Service Auth policy names the token, in front of our origin.
  await page.getByRole('link', { name: 'Applications' }).click();
  await page.getByText('No applications yet').waitFor();
  await page.getByRole('link', { name: 'Add an application' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Add an application' }).waitFor();
  await page.getByLabel('Application name').fill('seed-app');
  await page.getByLabel('Domain').fill(APP_HOST);
  await page.getByLabel('Origin').fill(origin.url);
  await page.getByLabel('Policy name').fill('ci can deploy');
  assert.equal(await page.getByLabel('Action').inputValue(), 'non_identity');
  await page.getByLabel('Service token', { exact: true }).selectOption({ label: `ci-deploy (${clientId.slice(0, 8)}…)` });
  await screenshot(page, 'seed-03-app-editor');
  await page.getByRole('button', { name: 'Create application' }).click();
  await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
  await page.locator('tr', { hasText: 'seed-app' }).waitFor();
  await screenshot(page, 'seed-04-apps');

  // A request with the two headers reaches the origin.
  let r = await edgeRequest(srv.edgeBase, APP_HOST, '/deploy', tokenHeaders(clientId, secret));
  assert.equal(r.status, 200, `edge answered ${r.status}: ${r.body}`);
  assert.equal(r.body, 'hello from the origin\n');
  const seen = origin.requests.at(-1);
  assert.equal(seen.url, '/deploy');
  assert.ok(seen.headers['cf-access-jwt-assertion'], 'the origin got the JWT');
  assert.equal(seen.headers['cf-access-client-secret'], undefined, 'the secret is not forwarded');

  // Refresh: one more year.
  await page.getByRole('link', { name: 'Service Auth' }).click();
  await page.getByRole('button', { name: 'Refresh ci-deploy (extend by one year)' }).click();
  await page.getByRole('status').filter({ hasText: 'now expires' }).waitFor();
  const refreshed = await tokenByName('ci-deploy');
  assertNear(refreshed.expires_at, Date.parse(created.expires_at) + YEAR_MS, 'expires_at after refresh');

  // Edit the duration: now + 5 years.
  await page.getByRole('button', { name: 'Edit ci-deploy' }).click();
  const edit = page.getByRole('dialog');
  await edit.getByLabel('Extend the expiry').selectOption('43800h');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'detached' });
  const edited = await tokenByName('ci-deploy');
  assert.equal(edited.duration, '43800h');
  assertNear(edited.expires_at, Date.now() + 5 * YEAR_MS, 'expires_at after edit');

  // Rotate, revoking the old secret at once: the new one is shown once and works.
  await page.getByRole('button', { name: 'Rotate the secret of ci-deploy' }).click();
  const rotate = page.getByRole('dialog');
  await rotate.getByLabel('Is revoked at once').check();
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  await rotate.getByRole('heading', { name: 'Secret rotated' }).waitFor();
  const newSecret = (await rotate.getByTestId('client-secret').textContent()).trim();
  assert.match(newSecret, CLIENT_SECRET_RE);
  assert.notEqual(newSecret, secret);
  assert.equal((await rotate.getByTestId('client-id').textContent()).trim(), clientId);
  await screenshot(page, 'seed-05-rotated');
  await rotate.getByRole('button', { name: 'Done' }).click();
  await page.locator('tr', { hasText: 'ci-deploy' }).locator('td[data-label="Secret version"]', { hasText: '2' }).waitFor();
  r = await edgeRequest(srv.edgeBase, APP_HOST, '/', tokenHeaders(clientId, secret));
  assert.equal(r.status, 403, 'the old secret is revoked');
  r = await edgeRequest(srv.edgeBase, APP_HOST, '/', tokenHeaders(clientId, newSecret));
  assert.equal(r.status, 200, 'the new secret works');

  // Delete, through a confirmation that names the token.
  await page.getByRole('button', { name: 'Delete ci-deploy' }).click();
  const confirm = page.getByRole('dialog');
  await confirm.getByRole('heading', { name: 'Delete “ci-deploy”?' }).waitFor();
  await screenshot(page, 'seed-06-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete ci-deploy' }).click();
  await page.getByText('No service tokens yet').waitFor();

  r = await edgeRequest(srv.edgeBase, APP_HOST, '/', tokenHeaders(clientId, newSecret));
  assert.equal(r.status, 403, `a deleted token is refused (got ${r.status}: ${r.body})`);

  // The Logs page: the token's decisions (when this server has the access log), and
  // the audit log naming the API token behind the session.
  await page.getByRole('link', { name: 'Logs' }).click();
  await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
  const unavailable = page.getByRole('heading', { name: 'The authentication log is not available on this server' });
  const filters = page.getByRole('search', { name: 'Filter the authentication log' });
  await unavailable.or(filters).waitFor();
  if (await filters.isVisible()) {
    await filters.getByLabel('Token name').fill('ci-deploy');
    for (const [outcome, badge] of [['allowed', 'Allowed'], ['denied', 'Refused']]) {
      await filters.getByLabel('Outcome').selectOption(outcome);
      // The log is written asynchronously in batches: ask again until it shows.
      const rows = page.locator('#panel-auth tbody tr', { hasText: badge });
      for (let i = 0; i < 40; i++) {
        const answered = page.waitForResponse((r) => r.url().includes('/access/logs/access_requests'));
        await filters.getByRole('button', { name: 'Apply filters' }).click();
        await answered;
        await page.waitForFunction(() => !document.querySelector('#panel-auth [aria-busy="true"]'));
        if (await rows.count()) break;
        await page.waitForTimeout(250);
      }
      assert.ok((await rows.count()) > 0, `an ${outcome} decision for ci-deploy is in the log`);
      assert.equal(await page.locator('#panel-auth tbody tr').count(), await rows.count(), `only ${outcome} rows`);
    }
    await screenshot(page, 'seed-07-auth-log');
  }
  await page.getByRole('tab', { name: 'Audit' }).click();
  await page.locator('#panel-audit tbody tr', { hasText: 'ci-deploy' }).first().waitFor();
  await screenshot(page, 'seed-08-audit-log');

  // Every change was audited under the API token behind the session.
  const audit = await adminApi(srv, 'GET', '/audit_logs?per_page=100');
  const tokenEvents = audit.body.result.filter((e) => e.resource?.name === 'ci-deploy');
  assert.ok(tokenEvents.length >= 5, `audit events for ci-deploy: ${tokenEvents.length}`);
  for (const e of tokenEvents) assert.equal(e.actor.type, 'api_token');
  const verify = await fetch(`${srv.adminBase}/user/tokens/verify`, { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  const adminName = (await verify.json()).result.name;
  for (const e of tokenEvents) assert.equal(e.actor.name, adminName);

  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  await page.close();
});
