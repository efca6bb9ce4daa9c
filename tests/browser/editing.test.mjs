// Editing through the dashboard (issue 5): an existing app's policies (an app-scoped
// policy saved on its own, a new one added inline, the order kept), the API's message
// under the rule it names, and the settings (team domain, strict mode, key rotation).
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test browser/editing.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../compat/server.mjs';
import { adminApi, dashboardOrigin, launchBrowser, screenshot, signIn, watchPage } from './harness.mjs';

let srv;
let browser;
let page;
let problems;
let token;
let app;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  token = (await adminApi(srv, 'POST', '/access/service_tokens', { name: 'builder' })).body.result;
  const r = await adminApi(srv, 'POST', '/access/apps', {
    type: 'self_hosted',
    name: 'wiki',
    domain: 'wiki.internal.test',
    origin: 'http://127.0.0.1:9',
    policies: [{ name: 'builder only', decision: 'non_identity', include: [{ service_token: { token_id: token.id } }] }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  app = r.body.result;
  page = await browser.context.newPage();
  problems = watchPage(page);
  await signIn(page, srv);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('edit an app: change a policy, add one, see the API message under the rule it names', async () => {
  await page.goto(`${dashboardOrigin(srv)}/#/apps/${app.id}`);
  await page.getByRole('heading', { level: 1, name: 'Edit “wiki”' }).waitFor();
  const first = page.locator('section.policy').first();
  assert.equal(await first.getByLabel('Policy name').inputValue(), 'builder only');

  // The first policy now admits any valid service token.
  await first.getByLabel('include rule 1 type').selectOption('any_valid_service_token');
  // A second policy: Bypass for an address range, with a mistyped range first.
  await page.getByRole('button', { name: 'Add a policy' }).click();
  const second = page.locator('section.policy').nth(1);
  await second.getByLabel('Policy name').fill('health checks');
  await second.getByLabel('Action').selectOption('bypass');
  await second.getByLabel('include rule 1 type').selectOption('ip');
  await second.getByLabel('IP range').fill('10.0.0.0/99');
  await page.getByRole('button', { name: 'Save application' }).click();
  const ip = second.getByLabel('IP range');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  assert.equal(await ip.getAttribute('aria-invalid'), 'true');
  const describedBy = (await ip.getAttribute('aria-describedby')).split(' ');
  const message = await page.evaluate((ids) => ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '), describedBy);
  assert.match(message.trim(), /^"10\.0\.0\.0\/99" is not an IP address or CIDR range/, `the API's message (without its field path) sits under the range: ${message}`);
  await screenshot(page, 'editing-app-validation');

  await ip.fill('10.0.0.0/8');
  await page.getByRole('button', { name: 'Save application' }).click();
  await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();

  const saved = (await adminApi(srv, 'GET', `/access/apps/${app.id}`)).body.result;
  assert.deepEqual(
    saved.policies.map((p) => [p.name, p.decision, p.precedence, p.include]),
    [
      ['builder only', 'non_identity', 1, [{ any_valid_service_token: {} }]],
      ['health checks', 'bypass', 2, [{ ip: { ip: '10.0.0.0/8' } }]],
    ],
  );
  assert.equal(saved.policies[0].id, app.policies[0].id, 'the existing policy was edited in place');

  // Reorder and remove: the removed app-scoped policy is gone from the account too.
  await page.goto(`${dashboardOrigin(srv)}/#/apps/${app.id}`);
  await page.getByRole('heading', { level: 1, name: 'Edit “wiki”' }).waitFor();
  await page.getByRole('button', { name: 'Move policy 2 up' }).click();
  await page.getByRole('button', { name: 'Remove policy 2' }).click();
  await page.getByRole('button', { name: 'Save application' }).click();
  await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
  const after = (await adminApi(srv, 'GET', `/access/apps/${app.id}`)).body.result;
  assert.deepEqual(after.policies.map((p) => p.name), ['health checks']);
  const gone = await adminApi(srv, 'GET', `/access/apps/${app.id}/policies/${app.policies[0].id}`);
  assert.equal(gone.status, 404);
  assert.deepEqual(problems.filter((p) => !p.includes('status of 400')), []);
});

test('settings: team domain, strict mode, signing-key rotation', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.getByRole('textbox', { name: 'Team domain' }).fill('team.example.test');
  await page.getByRole('region', { name: 'Team domain' }).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await page.getByLabel('Strict service token authentication').check();
  await page.getByRole('region', { name: 'Authentication' }).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  const org = (await adminApi(srv, 'GET', '/access/organizations')).body.result;
  assert.equal(org.auth_domain, 'team.example.test');
  assert.equal(org.strict_service_token_auth, true);

  // Out of range: the message sits under the field.
  await page.getByLabel('After this many days without use').fill('7');
  await page.getByRole('region', { name: 'Inactive service tokens' }).getByRole('button', { name: 'Save' }).click();
  await page.getByText('Enter a whole number of days from 30 to 365.').waitFor();

  const before = (await adminApi(srv, 'GET', '/access/keys')).body.result.last_key_rotation_at;
  await page.getByRole('button', { name: 'Rotate signing key now' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate now' }).click();
  await page.getByRole('status').filter({ hasText: 'Signing key rotated.' }).waitFor();
  const after = (await adminApi(srv, 'GET', '/access/keys')).body.result.last_key_rotation_at;
  assert.notEqual(after, before);
  await screenshot(page, 'editing-settings');
});
