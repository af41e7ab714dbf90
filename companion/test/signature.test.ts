// The Relay-Signature scheme on its own: format, window both ways, constant-time match, rotation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from '../src/auth/signature.js';

const secret = 'whsec-test-0123456789abcdef';
const body = Buffer.from('{"hello":"world"}');

describe('Relay-Signature', () => {
  it('is hex HMAC-SHA256 over "<t>." followed by the raw body', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body.toString()}`).digest('hex');
    assert.equal(computeSignature(secret, 1700000000, body), expected);
    assert.equal(signatureHeader(secret, body, 1700000000), `t=1700000000,v1=${expected}`);
  });

  it('parses t and every v1, ignores other schemes, refuses junk', () => {
    const sig = 'a'.repeat(64);
    assert.deepEqual(parseSignatureHeader(`t=5, v1=${sig}, v0=xyz`), { timestamp: 5, signatures: [sig] });
    assert.equal(parseSignatureHeader(`v1=${sig}`), null);
    assert.equal(parseSignatureHeader('t=5'), null);
    assert.equal(parseSignatureHeader(`t=abc,v1=${sig}`), null);
    assert.equal(parseSignatureHeader(`t=5,v1=${sig.slice(1)}`), null);
    assert.equal(parseSignatureHeader(`t=5,t=6,v1=${sig}`), null);
  });

  it('accepts within 300 s either way and refuses beyond', () => {
    const t = 1_700_000_000;
    const header = signatureHeader(secret, body, t);
    for (const now of [t, t + 300, t - 300])
      assert.equal(verifySignature({ header, secret, body, nowSeconds: now }).ok, true);
    const old = verifySignature({ header, secret, body, nowSeconds: t + 301 });
    assert.equal(old.ok || old.reason, 'expired');
    const future = verifySignature({ header, secret, body, nowSeconds: t - 301 });
    assert.equal(future.ok || future.reason, 'future');
  });

  it('refuses another secret, another body, and a missing header', () => {
    const t = 1_700_000_000;
    const header = signatureHeader(secret, body, t);
    const wrong = verifySignature({ header, secret: 'other-secret-0123456789', body, nowSeconds: t });
    assert.equal(wrong.ok || wrong.reason, 'mismatch');
    const changed = verifySignature({ header, secret, body: Buffer.from('{"hello":"World"}'), nowSeconds: t });
    assert.equal(changed.ok || changed.reason, 'mismatch');
    const missing = verifySignature({ header: undefined, secret, body, nowSeconds: t });
    assert.equal(missing.ok || missing.reason, 'missing');
  });

  it('accepts any one matching v1 (secret rotation)', () => {
    const t = 1_700_000_000;
    const header = `t=${t},v1=${computeSignature('old-secret-0123456789', t, body)},v1=${computeSignature(secret, t, body)}`;
    assert.equal(verifySignature({ header, secret, body, nowSeconds: t }).ok, true);
  });
});
