// OAuth 2.0 endpoints: every grant the emulator serves, Salesforce's error bodies, token expiry and
// revocation, the authorize page with PKCE, userinfo and the identity URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import jsforce from 'jsforce';
import { startOrg, token, CLIENT, V, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

describe('token endpoint', () => {
  it('issues client-credentials tokens in Salesforce’s shape', async () => {
    // REST API Developer Guide / OAuth docs: access_token, instance_url, id, token_type, issued_at, signature.
    const t = await token(org.url);
    assert.equal(t.status, 200);
    for (const key of ['access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'signature'])
      assert.ok(key in t.body, key);
    assert.match(t.body.access_token, /^00D[A-Za-z0-9]{12}!/);
    assert.equal(t.body.token_type, 'Bearer');
    assert.equal(t.body.instance_url, org.url);
    assert.match(t.body.id, new RegExp(`^${org.url}/id/00D[A-Za-z0-9]{15}/005[A-Za-z0-9]{15}$`));
    assert.match(t.body.issued_at, /^\d{13}$/);
    assert.equal(t.body.refresh_token, undefined);
  });

  it('accepts the client in an HTTP Basic header', async () => {
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('relay-dev:relay-dev-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    assert.equal(res.status, 200);
  });

  it('answers bad credentials and grants with Salesforce’s errors', async () => {
    // Salesforce's OAuth documentation: HTTP 400 {"error","error_description"}.
    const wrongUser = await token(org.url, {
      grant_type: 'password',
      ...CLIENT,
      username: 'admin@relay.test',
      password: 'nope',
    });
    assert.deepEqual(wrongUser, {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    });
    const wrongClient = await token(org.url, {
      grant_type: 'client_credentials',
      client_id: 'other',
      client_secret: 'x',
    });
    assert.deepEqual(wrongClient, {
      status: 400,
      body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
    });
    const grant = await token(org.url, { grant_type: 'magic', ...CLIENT });
    assert.deepEqual(grant, {
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    });
    const refresh = await token(org.url, {
      grant_type: 'refresh_token',
      client_id: CLIENT.client_id,
      refresh_token: 'bogus',
    });
    assert.deepEqual(refresh, {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
  });

  it('logs in with the password grant through jsforce, and with SOAP login', async () => {
    const oauthConn = new jsforce.Connection({
      oauth2: { loginUrl: org.url, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret },
      version: V,
    });
    const info = await oauthConn.login('admin@relay.test', 'relay-dev-password');
    assert.match(info.id, /^005/);
    assert.equal((await oauthConn.query('SELECT Id FROM Organization')).totalSize, 1);
    const soapConn = new jsforce.Connection({ loginUrl: org.url, version: V });
    await soapConn.login('admin@relay.test', 'relay-dev-password');
    assert.equal((await soapConn.query('SELECT COUNT() FROM User')).totalSize >= 2, true);
    await assert.rejects(
      new jsforce.Connection({ loginUrl: org.url, version: V }).login('admin@relay.test', 'bad'),
      /INVALID_LOGIN/,
    );
  });

  it('expires and revokes tokens with 401 INVALID_SESSION_ID', async () => {
    const t = (await token(org.url)).body.access_token as string;
    const call = (tok: string) =>
      fetch(`${org.url}/services/data/v${V}/limits`, { headers: { Authorization: `Bearer ${tok}` } });
    assert.equal((await call(t)).status, 200);
    const revoke = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: t }),
    });
    assert.equal(revoke.status, 200);
    const after = await call(t);
    assert.equal(after.status, 401);
    assert.deepEqual(await after.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

    await org.control('/oauth', { tokenTtlSeconds: 0.2 });
    const short = (await token(org.url)).body.access_token as string;
    assert.equal((await call(short)).status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await call(short)).status, 401);
    await org.control('/oauth', { tokenTtlSeconds: 7200 });
  });

  it('checks JWT bearer assertions against the configured certificate', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const assertion = (claims: Record<string, unknown>, key = privateKey) => {
      const head = b64url(JSON.stringify({ alg: 'RS256' }));
      const body = b64url(JSON.stringify(claims));
      const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
      return `${head}.${body}.${b64url(sig)}`;
    };
    const claims = {
      iss: CLIENT.client_id,
      sub: 'admin@relay.test',
      aud: 'https://login.salesforce.com',
      exp: Math.floor(Date.now() / 1000) + 180,
    };
    const grant = (a: string) =>
      token(org.url, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a });
    assert.deepEqual((await grant(assertion(claims))).body, {
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
    await org.control('/oauth', { jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }) });
    const ok = await grant(assertion(claims));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.refresh_token, undefined);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    assert.equal((await grant(assertion(claims, other))).body.error, 'invalid_grant');
    assert.equal((await grant(assertion({ ...claims, exp: 1 }))).body.error, 'invalid_grant');
    assert.equal((await grant(assertion({ ...claims, iss: 'x' }))).body.error, 'invalid_client_id');
  });
});

describe('authorization code with PKCE', () => {
  it('shows a login page, redirects with a code, exchanges it with the verifier, refreshes', async () => {
    const verifier = b64url(randomBytes(32));
    const challenge = b64url(createHash('sha256').update(verifier).digest());
    const redirectUri = 'http://localhost:1717/OauthRedirect';
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT.client_id,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    });
    const page = await fetch(`${org.url}/services/oauth2/authorize?${query}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/services\/oauth2\/authorize">/);
    assert.match(html, /name="code_challenge" value="/);

    const form = new URLSearchParams({
      ...Object.fromEntries(query),
      username: 'admin@relay.test',
      password: 'relay-dev-password',
      action: 'allow',
    });
    const post = await fetch(`${org.url}/services/oauth2/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    assert.equal(post.status, 302);
    const location = new URL(post.headers.get('location')!);
    assert.equal(location.origin + location.pathname, redirectUri);
    assert.equal(location.searchParams.get('state'), 'xyz');
    const code = location.searchParams.get('code')!;

    const wrong = await token(org.url, {
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT.client_id,
      redirect_uri: redirectUri,
      code_verifier: 'wrong',
    });
    assert.equal(wrong.body.error, 'invalid_grant');
    // A code is single-use: after the failed attempt a fresh one is needed.
    const post2 = await fetch(`${org.url}/services/oauth2/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const code2 = new URL(post2.headers.get('location')!).searchParams.get('code')!;
    const ok = await token(org.url, {
      grant_type: 'authorization_code',
      code: code2,
      client_id: CLIENT.client_id,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.equal(ok.status, 200);
    assert.ok(ok.body.refresh_token);
    const refreshed = await token(org.url, {
      grant_type: 'refresh_token',
      client_id: CLIENT.client_id,
      client_secret: CLIENT.client_secret,
      refresh_token: ok.body.refresh_token,
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.access_token, ok.body.access_token);

    const denied = await fetch(`${org.url}/services/oauth2/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ ...Object.fromEntries(query), action: 'deny' }),
      redirect: 'manual',
    });
    assert.equal(new URL(denied.headers.get('location')!).searchParams.get('error'), 'access_denied');
  });
});

describe('callback URLs of the development app', () => {
  it('accepts loopback callbacks only, as a Connected App accepts only the URLs it lists', async () => {
    // Salesforce answers an unlisted redirect_uri with error=redirect_uri_mismatch on its page.
    const ask = (redirectUri: string) =>
      fetch(
        `${org.url}/services/oauth2/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: CLIENT.client_id,
          redirect_uri: redirectUri,
        })}`,
      );
    for (const uri of ['http://127.0.0.1:8787/v1/oauth/callback', 'http://localhost:1717/OauthRedirect']) {
      assert.equal((await ask(uri)).status, 200, uri);
    }
    for (const uri of ['https://attacker.example/steal', 'not a url']) {
      const page = await ask(uri);
      assert.equal(page.status, 400, uri);
      assert.match(await page.text(), /redirect_uri_mismatch/);
    }
  });
});

describe('identity', () => {
  it('answers the identity URL of the token and userinfo', async () => {
    const t = (await token(org.url)).body;
    const id = await fetch(t.id, { headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(id.status, 200);
    const body = await id.json();
    assert.equal(body.id, t.id);
    assert.equal(body.username, 'integration@relay.test');
    const info = await (
      await fetch(`${org.url}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } })
    ).json();
    assert.equal(info.preferred_username, 'integration@relay.test');
    assert.equal(info.sub, t.id);
    const identity = await org.conn.identity();
    assert.equal(identity.username, 'integration@relay.test');
  });
});
