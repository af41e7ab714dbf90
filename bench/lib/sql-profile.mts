// A diagnostic for PGlite runs (`--sql-profile`): time spent inside the database per statement.
// PGlite runs one statement at a time and sends each through its extended-protocol messages
// (Parse … Sync), so the time from a Parse to the next Sync is that statement's own execution,
// without the wait for the connection that a timer around `query()` would include.
import type { PGlite } from '@electric-sql/pglite';

interface Entry {
  count: number;
  ms: number;
}

export function profileSql(pglite: PGlite): () => Array<{ sql: string; count: number; ms: number }> {
  const entries = new Map<string, Entry>();
  let current: { sql: string; start: number } | null = null;
  const target = pglite as unknown as {
    execProtocolStream(message: Uint8Array, options?: unknown): Promise<unknown>;
  };
  const original = target.execProtocolStream.bind(pglite);
  const decoder = new TextDecoder();
  target.execProtocolStream = async (message, options) => {
    if (message[0] === 0x50 /* P: Parse */) {
      // Int32 length, statement name (NUL-terminated), then the query text (NUL-terminated).
      const nameEnd = message.indexOf(0, 5);
      const textEnd = message.indexOf(0, nameEnd + 1);
      const sql = decoder
        .decode(message.subarray(nameEnd + 1, textEnd))
        .replace(/\s+/g, ' ')
        .slice(0, 160);
      current = { sql, start: performance.now() };
    }
    if (message[0] === 0x51 /* Q: simple query, one round */) {
      current = {
        sql: decoder
          .decode(message.subarray(5, message.length - 1))
          .replace(/\s+/g, ' ')
          .slice(0, 160),
        start: performance.now(),
      };
    }
    try {
      return await original(message, options);
    } finally {
      if ((message[0] === 0x53 /* S: Sync */ || message[0] === 0x51) && current) {
        const e = entries.get(current.sql) ?? { count: 0, ms: 0 };
        e.count += 1;
        e.ms += performance.now() - current.start;
        entries.set(current.sql, e);
        current = null;
      }
    }
  };
  return () =>
    [...entries]
      .map(([sql, e]) => ({ sql, count: e.count, ms: Math.round(e.ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 25);
}
