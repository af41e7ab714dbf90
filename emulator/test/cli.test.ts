// The real CLI: `relay-emulator --port 0` prints exactly its listening line and serves; and
// `--data-file` keeps the org between restarts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { token, V } from './helpers.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'relay-emulator.js');

function start(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; line: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line in 20 s; stdout: ${out}`)), 20000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        const line = out.slice(0, nl);
        resolve({ child, line, url: line.replace('Salesforce emulator listening on ', '') });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('relay-emulator CLI', () => {
  it('prints exactly one listening line and answers OAuth and REST', async () => {
    const { child, line, url } = await start(['--port', '0', '--seed', 'empty']);
    try {
      assert.match(line, /^Salesforce emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const t = await token(url);
      assert.equal(t.status, 200);
      const res = await fetch(`${url}/services/data/v${V}/query?q=SELECT+COUNT()+FROM+Lead`, {
        headers: { Authorization: `Bearer ${t.body.access_token}` },
      });
      assert.deepEqual(await res.json(), { totalSize: 0, done: true, records: [] });
    } finally {
      await stop(child);
    }
  });

  it('keeps the org in --data-file across restarts, and --no-control hides the control plane', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-emulator-'));
    const file = join(dir, 'org.json');
    try {
      const first = await start(['--port', '0', '--seed', 'empty', '--data-file', file, '--no-control']);
      const t = await token(first.url);
      const created = await fetch(`${first.url}/services/data/v${V}/sobjects/Account`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.body.access_token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ Name: 'Persisted Inc' }),
      });
      const { id } = (await created.json()) as { id: string };
      assert.equal((await fetch(`${first.url}/__emulator/usage`)).status, 404);
      await stop(first.child);
      assert.ok(existsSync(file));

      const second = await start(['--port', '0', '--data-file', file]);
      try {
        const t2 = await token(second.url);
        const got = await fetch(`${second.url}/services/data/v${V}/sobjects/Account/${id}?fields=Name`, {
          headers: { Authorization: `Bearer ${t2.body.access_token}` },
        });
        assert.equal(((await got.json()) as { Name: string }).Name, 'Persisted Inc');
        // New ids continue after the persisted ones.
        const next = await fetch(`${second.url}/services/data/v${V}/sobjects/Account`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${t2.body.access_token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ Name: 'Second' }),
        });
        assert.notEqual(((await next.json()) as { id: string }).id, id);
      } finally {
        await stop(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
