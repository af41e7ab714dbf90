// Secrets at rest: signing secrets, client secrets, private keys and Salesforce tokens are stored
// sealed with AES-256-GCM under a key from RELAY_ENCRYPTION_KEY. The key ring holds one or more
// keys, each with an id: the first seals, every one opens, so a key is rotated by putting the new
// one first and keeping the old one until `relay secrets reseal` (or the next write) has moved
// every value. A sealed value names its key id and is bound to where it is stored (its context:
// table, column and row), so a value copied to another row does not open there.
//
//   rsec1.<key id>.<12-byte IV, base64url>.<ciphertext + 16-byte tag, base64url>
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const SEALED_PREFIX = 'rsec1.';

/** The context a sealed value is bound to: its table, column and row. */
export const sealContext = (table: string, column: string, row: string): string => `${table}.${column}:${row}`;

export interface VaultKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * `RELAY_ENCRYPTION_KEY`: base64 of 32 bytes (key id `k0`), or `id:base64,id:base64,…` (the first
 * seals, all open). Throws naming the rule broken; never echoes a key.
 */
export function parseKeyRing(value: string): VaultKey[] {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (entries.length === 0) throw new VaultError('RELAY_ENCRYPTION_KEY is empty');
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon >= 0 ? entry.slice(0, colon) : entries.length === 1 ? 'k0' : '';
    const encoded = colon >= 0 ? entry.slice(colon + 1) : entry;
    if (!KEY_ID.test(id)) {
      throw new VaultError(
        `RELAY_ENCRYPTION_KEY entry ${index + 1} needs a key id (id:base64key, id of 1 to 32 letters, digits, '_' or '-')`,
      );
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+=*$/.test(encoded)) {
      throw new VaultError(`RELAY_ENCRYPTION_KEY key '${id}' must be base64 of exactly 32 bytes`);
    }
    return { id, key };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new VaultError('RELAY_ENCRYPTION_KEY names one key id twice');
  return keys;
}

/** A new random key in RELAY_ENCRYPTION_KEY's form (`<id>:<base64>`). */
export function newKeyRingEntry(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class Vault {
  readonly #keys: readonly VaultKey[];

  constructor(keys: readonly VaultKey[]) {
    if (keys.length === 0) throw new VaultError('the vault needs at least one key');
    this.#keys = keys;
  }

  /** The id of the key that seals. */
  get currentKeyId(): string {
    return this.#keys[0]!.id;
  }

  /** Seals `plaintext` for `context` (e.g. `workspaces.signing_secret:acme`). */
  seal(plaintext: string, context: string): string {
    const { id, key } = this.#keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED_PREFIX}${id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Opens a sealed value; throws VaultError when no key of the ring opens it for `context`. */
  open(sealed: string, context: string): string {
    const parts = sealed.startsWith(SEALED_PREFIX) ? sealed.slice(SEALED_PREFIX.length).split('.') : [];
    if (parts.length !== 3) throw new VaultError(`a stored secret (${context}) is not in sealed form`);
    const [id, iv, body] = parts as [string, string, string];
    const key = this.#keys.find((k) => k.id === id);
    if (!key) {
      throw new VaultError(
        `a stored secret (${context}) was sealed with key '${id}', which RELAY_ENCRYPTION_KEY does not hold; add that key after the current one`,
      );
    }
    const bytes = Buffer.from(body, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError(`a stored secret (${context}) does not open with key '${id}': wrong key, or altered`);
    }
  }

  /** Whether a stored value is sealed with the current key (else `reseal` has work to do). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${SEALED_PREFIX}${this.currentKeyId}.`);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }
}
