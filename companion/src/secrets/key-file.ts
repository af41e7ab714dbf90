// Where the vault's keys come from: RELAY_ENCRYPTION_KEY when set (every process of a deployment
// must share it), else a key generated once and kept in the data folder (`encryption.key`, mode
// 0600), so `npm start` seals its secrets with no set-up and opens them again after a restart.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newKeyRingEntry, parseKeyRing, Vault, type VaultKey } from './vault.js';

export const KEY_FILE = 'encryption.key';

export function keysFromDataDir(dataDir: string): VaultKey[] {
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': two processes starting together on one folder cannot both write a key.
    try {
      writeFileSync(path, `${newKeyRingEntry('k0')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(path, 0o600);
  return parseKeyRing(readFileSync(path, 'utf8').trim());
}

/** The vault for this process: the configured keys, or the data folder's. */
export function openVault(keys: VaultKey[] | undefined, dataDir: string): Vault {
  return new Vault(keys ?? keysFromDataDir(dataDir));
}
