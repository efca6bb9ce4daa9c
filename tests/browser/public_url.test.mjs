// The dashboard behind a proxy ([admin] public_url, docs/dashboard.md): the browser
// talks to a reverse proxy on another port, Gatehouse is told that address with
// --admin-public-url, and the dashboard works through it; a write whose Origin is
// anything else (another site, or the listener's own address) is refused with 403
// cross_site_request. An https public_url makes the session cookie Secure although
// the listener is plain HTTP.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test browser/public_url.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../compat/server.mjs';
import { launchBrowser, signIn, watchPage } from './harness.mjs';

// A plain reverse proxy to the admin listener (set `target` once it is known).
function startProxy() {
  const proxy = { target: undefined };
  proxy.server = http.createServer((req, res) => {
    const up = http.request(
      { host: '127.0.0.1', port: proxy.target, path: req.url, method: req.method, headers: req.headers, agent: false },
      (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) =>
    proxy.server.listen(0, '127.0.0.1', () => {
      proxy.origin = `http://127.0.0.1:${proxy.server.address().port}`;
      resolve(proxy);
    }),
  );
}

describe('dashboard behind a public_url', () => {
  let proxy;
  let srv;
  let browser;
  let viaProxy;  // srv as the browser sees it: the proxy's address

  before(async () => {
    proxy = await startProxy();
    srv = await startServer({ extraArgs: ['--admin-public-url', proxy.origin] });
    proxy.target = new URL(srv.adminBase).port;
    viaProxy = { ...srv, adminBase: `${proxy.origin}/client/v4` };
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
    await new Promise((resolve) => proxy?.server.close(resolve));
  });

  test('start-up names the one accepted origin', () => {
    assert.ok(srv.stdout.includes(`  origins    the dashboard accepts writes from ${proxy.origin}`), srv.stdout.join('\n'));
  });

  test('the dashboard signs in and writes through the proxy', async () => {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    await signIn(page, viaProxy);
    const cookies = await browser.context.cookies(proxy.origin);
    const c = cookies.find((x) => x.name === 'gh_session');
    assert.ok(c, 'signed in through the proxy');
    assert.equal(c.secure, false, 'an http public_url: no Secure');
    const status = await page.evaluate(async ({ url }) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'X-Gatehouse-CSRF': '1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'via-proxy' }),
      });
      return r.status;
    }, { url: `${proxy.origin}/client/v4/accounts/${srv.accountId}/access/service_tokens` });
    assert.equal(status, 201);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a write with the session from any other Origin is refused with 403 cross_site_request', async () => {
    const c = (await browser.context.cookies(proxy.origin)).find((x) => x.name === 'gh_session');
    const create = (origin) =>
      fetch(`${proxy.origin}/client/v4/accounts/${srv.accountId}/access/service_tokens`, {
        method: 'POST',
        headers: {
          Cookie: `gh_session=${c.value}`,
          'X-Gatehouse-CSRF': '1',
          'Content-Type': 'application/json',
          Origin: origin,
        },
        body: JSON.stringify({ name: 'from-node' }),
      });
    const ok = await create(proxy.origin);
    assert.equal(ok.status, 201, await ok.text());
    for (const origin of ['http://evil.test', new URL(srv.adminBase).origin, 'https://127.0.0.1:' + new URL(proxy.origin).port]) {
      const r = await create(origin);
      assert.equal(r.status, 403, origin);
      const body = await r.json();
      assert.match(body.errors[0].message, /^access\.api\.error\.cross_site_request: /, origin);
    }
  });
});

describe('an https public_url on a plain-HTTP listener', () => {
  let srv;

  before(async () => {
    srv = await startServer({ extraArgs: ['--admin-public-url', 'https://gatehouse.example.test'] });
  });
  after(async () => srv?.stop());

  test('sign-in from that origin gets a Secure cookie; from the listener address it is refused', async () => {
    const signIn = (origin) =>
      fetch(`${new URL(srv.adminBase).origin}/dashboard/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Gatehouse-CSRF': '1', Origin: origin },
        body: JSON.stringify({ api_token: srv.adminToken }),
      });
    const ok = await signIn('https://gatehouse.example.test');
    assert.equal(ok.status, 200, await ok.text());
    const cookie = ok.headers.get('set-cookie');
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /HttpOnly; SameSite=Strict; Path=\//);
    const direct = await signIn(new URL(srv.adminBase).origin);
    assert.equal(direct.status, 403);
    assert.equal(direct.headers.get('set-cookie'), null);
  });
});
