// The dashboard's session and its defences (issue 5): the cookie's attributes, the
// page never holding the API token, cross-site POSTs refused (403) whether or not the
// browser sends the cookie, API requests without a session or token refused (401),
// sign-out and a revoked API token ending the session, and the headers the embedded
// files are served with.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test browser/security.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../compat/server.mjs';
import { adminApi, dashboardOrigin, launchBrowser, signIn, watchPage } from './harness.mjs';

let srv;
let browser;
let evil;
let own;

// A page on another origin that tries to use the dashboard's session.
function startEvilSite(target) {
  const pages = {
    // A classic CSRF: an auto-submitted form (text/plain needs no preflight).
    '/form': `<!doctype html><form id="f" method="POST" enctype="text/plain"
      action="${target}/client/v4/accounts/${srv.accountId}/access/service_tokens">
      <input name='{"name":"evil-form","x":"' value='"}'></form>
      <script>document.getElementById('f').submit()</script>`,
    '/blank': '<!doctype html><title>elsewhere</title>',
  };
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(pages[req.url] ?? pages['/blank']);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, server })));
}

before(async () => {
  srv = await startServer();
  own = dashboardOrigin(srv);
  evil = await startEvilSite(own);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => evil?.server.close(resolve));
  await srv?.stop();
});

async function sessionCookie() {
  const cookies = await browser.context.cookies(own);
  return cookies.find((c) => c.name === 'gh_session');
}

async function tokenNames() {
  const r = await adminApi(srv, 'GET', '/access/service_tokens?per_page=100');
  return r.body.result.map((t) => t.name);
}

function createWithCookie(cookie, headers) {
  return fetch(`${srv.adminBase}/accounts/${srv.accountId}/access/service_tokens`, {
    method: 'POST',
    headers: { Cookie: `gh_session=${cookie}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ name: 'from-node' }),
  });
}

describe('dashboard session', () => {
  let page;
  let problems;

  before(async () => {
    page = await browser.context.newPage();
    problems = watchPage(page);
    await signIn(page, srv);
  });

  test('the cookie is HttpOnly, SameSite=Strict, Path=/, not Secure on plain HTTP; the page holds no token', async () => {
    const c = await sessionCookie();
    assert.ok(c, 'gh_session cookie set');
    assert.match(c.value, /^[0-9a-f]{64}$/, '256 random bits');
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Strict');
    assert.equal(c.path, '/');
    assert.equal(c.secure, false);
    assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie readable by scripts');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes('gat_'), `web storage holds no API token: ${stored}`);
    assert.equal(await page.getByLabel('API token').count(), 0, 'the sign-in field is gone');
  });

  test('a session works for reads and for writes that carry the CSRF header and our Origin', async () => {
    const c = await sessionCookie();
    const list = await fetch(`${srv.adminBase}/accounts/${srv.accountId}/access/service_tokens`, {
      headers: { Cookie: `gh_session=${c.value}` },
    });
    assert.equal(list.status, 200);
    const ok = await createWithCookie(c.value, { 'X-Gatehouse-CSRF': '1', Origin: own });
    assert.equal(ok.status, 201, await ok.text());
  });

  test('a write with the session but a foreign Origin is refused with 403', async () => {
    const c = await sessionCookie();
    const r = await createWithCookie(c.value, { 'X-Gatehouse-CSRF': '1', Origin: `http://127.0.0.1:${evil.port}` });
    assert.equal(r.status, 403);
    const body = await r.json();
    assert.equal(body.success, false);
    assert.match(body.errors[0].message, /^access\.api\.error\.cross_site_request: /);
  });

  test('a write with the session but without the CSRF header is refused with 403', async () => {
    const c = await sessionCookie();
    const r = await createWithCookie(c.value, { Origin: own });
    assert.equal(r.status, 403);
    const noOrigin = await createWithCookie(c.value, { 'X-Gatehouse-CSRF': '1' });
    assert.equal(noOrigin.status, 403, 'neither Origin nor Referer');
  });

  test('a cross-site form POST from another origin (same site: the cookie is sent) is refused', async () => {
    const before = await tokenNames();
    const evilPage = await browser.context.newPage();
    const response = evilPage.waitForResponse((r) => r.url().includes('/access/service_tokens') && r.request().method() === 'POST');
    await evilPage.goto(`http://127.0.0.1:${evil.port}/form`);
    const r = await response;
    assert.equal(r.status(), 403);
    assert.match(await r.text(), /cross_site_request/);
    assert.deepEqual(await tokenNames(), before, 'nothing was created');
    await evilPage.close();
  });

  test('a cross-site fetch with the CSRF header fails its CORS preflight', async () => {
    const before = await tokenNames();
    const evilPage = await browser.context.newPage();
    await evilPage.goto(`http://127.0.0.1:${evil.port}/blank`);
    const outcome = await evilPage.evaluate(async ({ url }) => {
      try {
        const r = await fetch(url, {
          method: 'POST',
          credentials: 'include',
          headers: { 'X-Gatehouse-CSRF': '1', 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'evil-fetch' }),
        });
        return `status ${r.status}`;
      } catch (e) {
        return `blocked: ${e.name}`;
      }
    }, { url: `${own}/client/v4/accounts/${srv.accountId}/access/service_tokens` });
    assert.match(outcome, /^blocked/);
    assert.deepEqual(await tokenNames(), before, 'nothing was created');
    // From a truly cross-site origin (localhost is another site than 127.0.0.1) the
    // SameSite=Strict cookie is not even sent: the API sees no credentials.
    const other = await browser.context.newPage();
    const response = other.waitForResponse((r) => r.url().includes('/access/service_tokens') && r.request().method() === 'POST');
    await other.goto(`http://localhost:${evil.port}/form`);
    const r = await response;
    assert.equal(r.request().headers().cookie, undefined, 'no cookie sent cross-site');
    assert.equal(r.status(), 401);
    assert.deepEqual(await tokenNames(), before, 'nothing was created');
    await evilPage.close();
    await other.close();
  });

  test('sign-out ends the session', async () => {
    const c = await sessionCookie();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    const r = await fetch(`${srv.adminBase}/accounts/${srv.accountId}/access/service_tokens`, {
      headers: { Cookie: `gh_session=${c.value}` },
    });
    assert.equal(r.status, 401);
    assert.equal(await sessionCookie(), undefined, 'the cookie is cleared');
    assert.deepEqual(problems.filter((p) => !/401|403/.test(p)), []);
  });
});

describe('no credentials', () => {
  test('the API refuses requests without a session or token (401)', async () => {
    const r = await fetch(`${srv.adminBase}/accounts/${srv.accountId}/access/service_tokens`);
    assert.equal(r.status, 401);
    const forged = await fetch(`${srv.adminBase}/accounts/${srv.accountId}/access/service_tokens`, {
      headers: { Cookie: `gh_session=${'ab'.repeat(32)}` },
    });
    assert.equal(forged.status, 401);
    const who = await fetch(`${own}/dashboard/session`);
    assert.equal(who.status, 401);
  });

  test('sign-in refuses a bad token, and a request from another origin', async () => {
    const post = (body, headers) =>
      fetch(`${own}/dashboard/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Gatehouse-CSRF': '1', Origin: own, ...headers },
        body: JSON.stringify(body),
      });
    assert.equal((await post({ api_token: 'gat_nope' })).status, 401);
    assert.equal((await post({})).status, 400);
    const foreign = await post({ api_token: srv.adminToken }, { Origin: 'http://localhost:1' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('set-cookie'), null);
  });

  test('revoking the API token ends the sessions opened with it', async () => {
    const created = await adminApi(srv, 'POST', '/tokens', { name: 'short-lived', scope: 'edit' });
    assert.equal(created.status, 201);
    const signin = await fetch(`${own}/dashboard/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Gatehouse-CSRF': '1', Origin: own },
      body: JSON.stringify({ api_token: created.body.result.value }),
    });
    assert.equal(signin.status, 200);
    const cookie = signin.headers.get('set-cookie').split(';')[0];
    const use = () => fetch(`${own}/dashboard/session`, { headers: { Cookie: cookie } });
    assert.equal((await use()).status, 200);
    assert.equal((await adminApi(srv, 'DELETE', `/tokens/${created.body.result.id}`)).status, 200);
    const after = await use();
    assert.equal(after.status, 401);
    assert.match((await after.json()).errors[0].message, /api_token_revoked/);
  });

  test('the embedded files come with a strict CSP, no framing, nosniff and an ETag', async () => {
    const index = await fetch(`${own}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = index.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(index.headers.get('x-frame-options'), 'DENY');
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    const html = await index.text();
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'no inline script in index.html');
    const etag = index.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.match(index.headers.get('cache-control'), /no-cache/);
    const again = await fetch(`${own}/index.html`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const js = await fetch(`${own}/assets/app.js`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const css = await fetch(`${own}/assets/app.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${own}/assets/nope.js`)).status, 404);
    assert.equal((await fetch(`${own}/assets/app.js`, { method: 'POST' })).status, 405);
  });
});
