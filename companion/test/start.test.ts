// `npm start` as a person runs it (README.md): a real process with the embedded emulator, the
// demo workspace and the live demo stream; the banner prints the URLs and credentials, events flow
// through the real intake, the progress line moves, and SIGTERM shuts it down cleanly. A second
// start on the same data folder reuses the workspace and its secret.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signatureHeader } from '../src/auth/signature.js';
import { visit } from './helpers/events.js';
import { createEmulator } from '../../emulator/src/index.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Run {
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
  /** The exit code once the process ends by itself. */
  exited(): Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, RELAY_PORT: '0', RELAY_EMULATOR_PORT: '0', RELAY_PREVIEW: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => out,
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${out}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    exited: () => exited,
  };
}

// Each case is its own process on its own ports and data directory, so they run side by side.
describe('npm start', { concurrency: true }, () => {
  it('starts the emulator and a demo workspace, streams signed events, shows progress and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-start-'));
    try {
      const run = start({ RELAY_DATA_DIR: dataDir, RELAY_DEMO_EVENTS_PER_SECOND: '20' });
      const companionUrl = (await run.waitFor(/Companion\s+(http:\/\/127\.0\.0\.1:\d+)/))[1]!;
      await run.waitFor(/Emulator \(Salesforce org\)\s+http:\/\/127\.0\.0\.1:\d+/);
      await run.waitFor(/Preview \(records\)\s+http:\/\/127\.0\.0\.1:\d+\/preview\n/);
      await run.waitFor(/Preview \(Setup\)\s+http:\/\/127\.0\.0\.1:\d+\/preview\/setup/);
      assert.match(run.output(), /Workspace id\s+demo \(created\)/);
      const secret = (await run.waitFor(/Signing secret\s+(\S+)/))[1]!;
      const orgKey = (await run.waitFor(/Org key\s+(\S+)/))[1]!;
      await run.waitFor(/received [1-9]\d* · synced [1-9]/, 90_000);

      // The printed credentials work: intake with the secret, the package API with the org key.
      const raw = JSON.stringify(visit(1));
      const posted = await fetch(`${companionUrl}/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          'relay-workspace': 'demo',
          'relay-signature': signatureHeader(secret, raw),
        },
        body: raw,
      });
      assert.equal(posted.status, 202);
      const ping = await fetch(`${companionUrl}/v1/package/ping`, {
        method: 'POST',
        headers: { authorization: `Bearer ${orgKey}` },
      });
      assert.equal(ping.status, 200);

      assert.equal(await run.stop(), 0);
      assert.match(run.output(), /SIGTERM received, shutting down/);
      assert.doesNotMatch(run.output(), /"level":50/, 'no error logged');

      const again = start({ RELAY_DATA_DIR: dataDir, RELAY_DEMO_STREAM: 'off' });
      await again.waitFor(/Workspace id\s+demo \(reused\)/);
      assert.equal((await again.waitFor(/Signing secret\s+(\S+)/))[1], secret, 'the secret survives a restart');
      assert.match(again.output(), /Demo stream\s+off/);
      assert.equal(await again.stop(), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration with every problem listed', async () => {
    const run = start({ RELAY_PORT: 'abc', RELAY_DEMO_STREAM: 'sometimes' });
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (/cannot start/.test(run.output())) {
          clearInterval(poll);
          void run.stop().then(resolve);
        }
      }, 50);
    });
    assert.ok(code === 2 || code === null);
    assert.match(run.output(), /RELAY_PORT must be an integer from 0 to 65535 \(got 'abc'\)/);
    assert.match(run.output(), /RELAY_DEMO_STREAM must be 'on' or 'off' \(got 'sometimes'\)/);
  });

  it('names RELAY_PORT in one line, without a stack trace, when the port is in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-start-port-'));
    try {
      const run = start({ RELAY_DATA_DIR: dataDir, RELAY_PORT: String(port), RELAY_HOST: '127.0.0.1' });
      const code = await run.exited();
      assert.notEqual(code, 0, run.output());
      assert.match(run.output(), new RegExp(`relay: cannot start, port ${port} is in use: set RELAY_PORT`));
      assert.doesNotMatch(run.output(), /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(run.output(), /Relay companion is running/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("stops with Salesforce's reason when RELAY_SF_* are refused, instead of saying it runs", async () => {
    const emu = await createEmulator({ port: 0, seed: 'empty' });
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-start-refused-'));
    try {
      const run = start({
        RELAY_DATA_DIR: dataDir,
        RELAY_SF_LOGIN_URL: emu.url,
        RELAY_SF_CLIENT_ID: 'relay-dev',
        RELAY_SF_CLIENT_SECRET: 'not-the-secret',
      });
      await run.waitFor(/cannot start/).catch(() => undefined);
      const code = await new Promise<number | null>((resolve) => {
        const poll = setInterval(() => {
          if (/cannot start/.test(run.output())) {
            clearInterval(poll);
            void run.stop().then(resolve);
          }
        }, 50);
      });
      assert.ok(code === 2 || code === null, run.output());
      assert.match(run.output(), /Salesforce refused the connection \(invalid_client[a-z_]*\)/);
      assert.doesNotMatch(run.output(), /Relay companion is running/);
      assert.doesNotMatch(run.output(), /not-the-secret/, 'the secret is not echoed');
    } finally {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
