// Serves files from a folder (the preview bundle, SLDS's CSS and icons) with a content type and
// no way out of the folder. The companion has no static-file plugin and needs only this much.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** Sends `root/relativePath`, or 404 when it is missing or outside root. */
export async function sendFile(
  reply: FastifyReply,
  root: string,
  relativePath: string,
  cacheControl: string,
): Promise<FastifyReply> {
  const path = normalize(join(root, relativePath));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) {
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such file' } });
  }
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such file' } });
  }
  return reply
    .header('Content-Type', TYPES[extname(path)] ?? 'application/octet-stream')
    .header('Cache-Control', cacheControl)
    .send(createReadStream(path));
}
