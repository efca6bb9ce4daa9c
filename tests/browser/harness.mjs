// Shared pieces of the browser tests: Debian's chromium driven by playwright-core, a
// loopback origin that records what the edge forwards, requests to the edge with a
// chosen Host, API calls with the admin token, and screenshots as test artefacts.
//
// Screenshots go to build/artifacts/screenshots/ (git-ignored), never into the tree.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotDir = path.resolve(testsDir, '../build/artifacts/screenshots');

export const CHROMIUM = process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh browser profile (its own --user-data-dir) for one test file.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>}
 */
export async function launchBrowser({ viewport = { width: 1280, height: 860 }, colorScheme = 'light' } = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    colorScheme,
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

// Collects console errors, page errors and CSP violations; a test asserts it stays empty.
export function watchPage(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    // The page asks "am I signed in?" on load; before sign-in the answer is a 401.
    if (url.endsWith('/dashboard/session') && msg.text().includes('401')) return;
    // A page probing for an API this server may lack (it then says "not available").
    if (/\/(access\/logs|alerting\/v3)\//.test(url) && msg.text().includes('404')) return;
    problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

export async function screenshot(page, name, opts = {}) {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  return file;
}

// The dashboard's origin ("http://127.0.0.1:PORT") from the harness's adminBase.
export function dashboardOrigin(srv) {
  return new URL(srv.adminBase).origin;
}

// Opens the dashboard and signs in, unless this browser profile already has a session.
export async function signIn(page, srv, token = srv.adminToken) {
  await page.goto(`${dashboardOrigin(srv)}/`);
  const field = page.getByLabel('API token');
  const tokens = page.getByRole('heading', { level: 1, name: 'Service Tokens' });
  await field.or(tokens).waitFor();
  if (await field.isVisible()) {
    await field.fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await tokens.waitFor();
}

/** The admin API with the admin token: {status, body}. */
export async function adminApi(srv, method, pathUnderAccount, body) {
  const res = await fetch(`${srv.adminBase}/accounts/${srv.accountId}${pathUnderAccount}`, {
    method,
    headers: {
      Authorization: `Bearer ${srv.adminToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A loopback origin that answers 200 and records each request's headers. */
export async function startOrigin() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('hello from the origin\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * A request to the edge listener for `host` (fetch cannot set Host; node:http can).
 * @returns {Promise<{status: number, headers: object, body: string}>}
 */
export function edgeRequest(edgeBase, host, urlPath = '/', headers = {}) {
  const edge = new URL(edgeBase);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: edge.hostname,
        port: edge.port,
        path: urlPath,
        method: 'GET',
        headers: { host, accept: 'application/json', ...headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('edge request timed out')));
    req.on('error', reject);
    req.end();
  });
}

export function tokenHeaders(clientId, clientSecret) {
  return { 'CF-Access-Client-Id': clientId, 'CF-Access-Client-Secret': clientSecret };
}
