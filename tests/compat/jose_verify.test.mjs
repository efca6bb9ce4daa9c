// An independent verifier accepts what the edge issues (compat.md §2.3, §2.6): jose's
// createRemoteJWKSet on /cdn-cgi/access/certs + jwtVerify with issuer and audience, the
// way a Node origin behind Cloudflare Access checks Cf-Access-Jwt-Assertion. The JWT
// verified is the one a real origin (a node:http server here) received through the edge.
//
// Run: cd tests && GATEHOUSE_BIN=../build/debug/src/gatehouse node --test compat/jose_verify.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import * as jose from 'jose';

import { startServer } from './server.mjs';

/** One HTTP request with an explicit Host header (fetch may not set Host). */
function request(base, { method = 'GET', path = '/', host, headers = {}, body } = {}) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...(host ? { Host: host } : {}), Accept: 'application/json', ...headers },
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          if ((res.headers['content-type'] ?? '').includes('json') && text) json = JSON.parse(text);
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A recording origin on 127.0.0.1:0. */
async function startOrigin() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, path: req.url, headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ origin: 'jose-test' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

describe('jose verifies the edge JWT', () => {
  let srv;
  let origin;
  let api;
  let token;
  let appA;
  let appB;
  let issuer;
  let jwks;

  before(async () => {
    origin = await startOrigin();
    srv = await startServer();
    assert.ok(srv.edgeBase, 'the banner names the edge URL');
    api = async (method, path, body) => {
      const res = await fetch(`${srv.adminBase}/accounts/${srv.accountId}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${srv.adminToken}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json();
      assert.ok(json.success, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json.result;
    };
    token = await api('POST', '/access/service_tokens', { name: `jose-${randomUUID().slice(0, 8)}` });
    const app = (name) =>
      api('POST', '/access/apps', {
        type: 'self_hosted',
        name: `${name}-${randomUUID().slice(0, 8)}`,
        domain: `${name}-${randomUUID().slice(0, 8)}.test`,
        origin: origin.url,
        policies: [
          { name: 'svc', decision: 'non_identity', include: [{ service_token: { token_id: token.id } }] },
        ],
      });
    appA = await app('jose-a');
    appB = await app('jose-b');
    const org = await api('GET', '/access/organizations');
    issuer = `https://${org.auth_domain}`;
    jwks = jose.createRemoteJWKSet(new URL(`${srv.edgeBase}/cdn-cgi/access/certs`));
  });

  after(async () => {
    if (srv) await srv.stop();
    if (origin) await origin.close();
  });

  /** The Cf-Access-Jwt-Assertion the origin received through the edge. */
  async function assertionFor(app) {
    const path = `/jose/${randomUUID()}`;
    const res = await request(srv.edgeBase, {
      path,
      host: app.domain,
      headers: { 'CF-Access-Client-Id': token.client_id, 'CF-Access-Client-Secret': token.client_secret },
    });
    assert.equal(res.status, 200, res.text);
    const got = origin.seen.filter((r) => r.path === path);
    assert.equal(got.length, 1);
    assert.equal(got[0].headers['cf-access-client-secret'], undefined, 'the origin never sees the secret');
    const jwt = got[0].headers['cf-access-jwt-assertion'];
    assert.ok(jwt, 'the origin received Cf-Access-Jwt-Assertion');
    return jwt;
  }

  test('jwtVerify accepts the assertion with issuer and audience', async () => {
    const jwt = await assertionFor(appA);
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, jwks, {
      issuer,
      audience: appA.aud,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'nbf'],
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.match(protectedHeader.kid, /^[0-9a-f]{64}$/);
    assert.deepEqual(payload.aud, [appA.aud]);
    assert.equal(payload.iss, issuer);
    assert.equal(payload.service_token_id, token.id);
    assert.equal(payload.common_name, token.client_id);
    assert.equal(payload.type, 'app');
  });

  test('jwtVerify rejects a tampered assertion', async () => {
    const jwt = await assertionFor(appA);
    const [h, p, s] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    claims.exp += 86400 * 30;
    const changedPayload = `${h}.${b64url(JSON.stringify(claims))}.${s}`;
    await assert.rejects(
      jose.jwtVerify(changedPayload, jwks, { issuer, audience: appA.aud, algorithms: ['RS256'] }),
      jose.errors.JWSSignatureVerificationFailed,
    );
    const sig = Buffer.from(s, 'base64url');
    sig[7] ^= 0x80;
    await assert.rejects(
      jose.jwtVerify(`${h}.${p}.${b64url(sig)}`, jwks, { issuer, audience: appA.aud, algorithms: ['RS256'] }),
      jose.errors.JWSSignatureVerificationFailed,
    );
  });

  test("jwtVerify rejects a token for another app's audience", async () => {
    const jwtA = await assertionFor(appA);
    await assert.rejects(
      jose.jwtVerify(jwtA, jwks, { issuer, audience: appB.aud, algorithms: ['RS256'] }),
      (err) => err instanceof jose.errors.JWTClaimValidationFailed && err.claim === 'aud',
    );
    const jwtB = await assertionFor(appB);
    await assert.rejects(
      jose.jwtVerify(jwtB, jwks, { issuer, audience: appA.aud, algorithms: ['RS256'] }),
      (err) => err instanceof jose.errors.JWTClaimValidationFailed && err.claim === 'aud',
    );
    const { payload } = await jose.jwtVerify(jwtB, jwks, { issuer, audience: appB.aud, algorithms: ['RS256'] });
    assert.deepEqual(payload.aud, [appB.aud]);
  });

  test('jwtVerify rejects another issuer', async () => {
    const jwt = await assertionFor(appA);
    await assert.rejects(
      jose.jwtVerify(jwt, jwks, { issuer: 'https://elsewhere.example.com', audience: appA.aud }),
      (err) => err instanceof jose.errors.JWTClaimValidationFailed && err.claim === 'iss',
    );
  });
});
