// Random intake requests for the fuzz test and `npm run fuzz`: valid events of every type, the same
// with one field broken, batches mixing both, arbitrary JSON and bytes, deep nesting, wrong content
// types and every way a signature can be wrong. Seeded, so a failing case can be replayed by index.
import { signatureHeader } from '../../src/auth/signature.js';
import { BATCH_MEDIA_TYPE, SINGLE_MEDIA_TYPE } from '../../src/intake/route.js';
import { prng } from '../../../emulator/src/seed/demo.js';
import { linkCreated, listMember, message, prospect, spaceCreated, visit } from '../helpers/events.js';

export interface FuzzWorkspace {
  id: string;
  secret: string;
}

export interface FuzzCase {
  index: number;
  kind: string;
  headers: Record<string, string>;
  payload: string | Buffer;
  /** What each event of the body is (by position; null when it has no string source and id). */
  events: Array<{ source: string; id: string } | null>;
  /** Whether the request is signed correctly for a known workspace. */
  signed: boolean;
}

type Rand = () => number;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Rand, max: number) => Math.floor(r() * max);

const BUILDERS = [visit, message, linkCreated, spaceCreated, prospect, listMember] as const;
const ODD_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'not-an-email',
  '2026-13-45T99:99:99Z',
  '\u0000\u202e\ud83d\ude00',
  'x'.repeat(5000),
  [],
  [null],
  {},
  { nested: { deeper: [1, 2, 3] } },
];

function randomString(r: Rand, max: number): string {
  const length = int(r, max);
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(int(r, r() < 0.8 ? 128 : 0xffff));
  return s;
}

function randomJson(r: Rand, depth: number): Json {
  const roll = r();
  if (depth <= 0 || roll < 0.3) return pick(r, ODD_VALUES);
  if (roll < 0.45) return randomString(r, 40);
  if (roll < 0.7) return Array.from({ length: int(r, 4) }, () => randomJson(r, depth - 1));
  const o: Record<string, Json> = {};
  for (let i = int(r, 5); i > 0; i--)
    o[pick(r, ['id', 'type', 'data', 'source', randomString(r, 8)])] = randomJson(r, depth - 1);
  return o;
}

/** Nesting `depth` levels deep, as arrays or objects. */
function deep(depth: number, asArray: boolean): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** Every path to a value of an object (`data.visitor.email`). */
function paths(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

/** One field removed, or replaced by an odd value. */
function mutate(r: Rand, event: Record<string, Json>): Record<string, Json> {
  const copy = structuredClone(event);
  const path = pick(
    r,
    paths(copy).filter((p) => p.length > 0),
  );
  let parent: Record<string, Json> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, Json>;
  const last = path[path.length - 1]!;
  if (r() < 0.3) delete parent[last];
  else parent[last] = r() < 0.15 ? deep(10 + int(r, 200), r() < 0.5) : pick(r, ODD_VALUES);
  return copy;
}

function validEvent(r: Rand, n: number): Record<string, Json> {
  const event = pick(r, BUILDERS)(n) as unknown as Record<string, Json>;
  // Unique per case: the id (and the activity's own id) carry the case number.
  event.id = `fuzz-${n}`;
  return event;
}

/** A body and what it carries. */
function body(r: Rand, n: number): { kind: string; json: Json | undefined; raw?: string | Buffer; batch: boolean } {
  const roll = r();
  if (roll < 0.25) return { kind: 'valid', json: validEvent(r, n), batch: false };
  if (roll < 0.55) return { kind: 'mutated', json: mutate(r, validEvent(r, n)), batch: false };
  if (roll < 0.7) {
    const size = r() < 0.05 ? 1001 : int(r, 30);
    const events = Array.from({ length: size }, (_, i) =>
      r() < 0.6 ? validEvent(r, n * 10_000 + i) : mutate(r, validEvent(r, n * 10_000 + i)),
    );
    // Now and then the same event twice in one batch.
    if (events.length > 1 && r() < 0.2) events.push(events[0]!);
    return { kind: 'batch', json: events, batch: true };
  }
  if (roll < 0.8) return { kind: 'random-json', json: randomJson(r, 6), batch: r() < 0.5 };
  if (roll < 0.85) {
    // Deeper than any JSON serialiser here would write: built as text, up to 100,000 levels.
    const depth = 50 + int(r, r() < 0.5 ? 500 : 100_000);
    const raw =
      r() < 0.5 ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return { kind: 'deep', json: undefined, raw, batch: false };
  }
  const bytes = Buffer.from(Array.from({ length: int(r, 300) }, () => int(r, 256)));
  const raw = r() < 0.5 ? bytes : JSON.stringify(validEvent(r, n)).slice(0, int(r, 200));
  return { kind: 'bytes', json: undefined, raw, batch: false };
}

function contentType(r: Rand, batch: boolean): string | undefined {
  const roll = r();
  if (roll < 0.85) return batch ? BATCH_MEDIA_TYPE : SINGLE_MEDIA_TYPE;
  return pick(r, [
    undefined,
    'text/plain',
    'application/json',
    'application/xml',
    'multipart/form-data; boundary=x',
    `${SINGLE_MEDIA_TYPE}; charset=utf-16`,
    'application/cloudevents',
    '',
  ]);
}

/** The signature header, right or wrong in one of the ways a client gets it wrong. */
function signature(
  r: Rand,
  secret: string,
  raw: string | Buffer,
  nowSeconds: number,
): { header?: string; ok: boolean } {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const roll = r();
  if (roll < 0.8 || typeof raw !== 'string')
    return { header: signatureHeader(secret, text), ok: typeof raw === 'string' };
  return pick(r, [
    { ok: false },
    { header: '', ok: false },
    { header: 'garbage', ok: false },
    { header: 't=abc,v1=zz', ok: false },
    { header: signatureHeader('wrong-secret-0123456789abcdef', text), ok: false },
    { header: signatureHeader(secret, text, nowSeconds - 3600), ok: false },
    { header: signatureHeader(secret, text, nowSeconds + 3600), ok: false },
    { header: `${signatureHeader(secret, text)},v1=${'0'.repeat(64)}`, ok: true },
    { header: signatureHeader(secret, `${text} `), ok: false },
  ]);
}

/** Case `index` of the sequence seeded with `seed`. */
export function fuzzCase(seed: number, index: number, workspaces: readonly FuzzWorkspace[]): FuzzCase {
  const r = prng(seed * 1_000_003 + index);
  const { kind, json, raw, batch } = body(r, index);
  const payload = raw ?? (json === undefined ? '' : JSON.stringify(json));
  const workspace = pick(r, workspaces);
  const sig = signature(r, workspace.secret, payload, Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {};
  const type = contentType(r, batch);
  if (type !== undefined) headers['content-type'] = type;
  const workspaceHeader = r() < 0.95 ? workspace.id : pick(r, ['', 'unknown-workspace', '../acme', 'a'.repeat(300)]);
  if (workspaceHeader !== '') headers['relay-workspace'] = workspaceHeader;
  if (sig.header !== undefined) headers['relay-signature'] = sig.header;
  const signed = sig.ok && workspaceHeader === workspace.id;
  const carried = Array.isArray(json) ? json : [json];
  const events = carried.map((e) =>
    e && typeof e === 'object' && !Array.isArray(e) && typeof e.source === 'string' && typeof e.id === 'string'
      ? { source: e.source, id: e.id }
      : null,
  );
  return {
    index,
    kind: `${kind}${type === (batch ? BATCH_MEDIA_TYPE : SINGLE_MEDIA_TYPE) ? '' : '/content-type'}`,
    headers,
    payload,
    events,
    signed,
  };
}
