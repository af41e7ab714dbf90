// GET /v1/oauth/callback: where Salesforce sends the admin after "Allow" (or "Deny"). The `state`
// is the authentication here — issued for one workspace, single use, 10 minutes — so the route is
// public. It answers a small page a person reads: the org now connected, or what went wrong and
// what to do; every value shown is HTML-escaped.
import type { FastifyInstance } from 'fastify';
import { ConnectError } from '../connections/connect.js';
import type { Operator } from './service.js';

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, lines: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Relay</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#181818}
h1{font-size:1.5rem}code{background:#f3f3f3;padding:0 .25rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${l}</p>`).join('')}</main></body></html>
`;
}

export function registerOAuthCallback(app: FastifyInstance, operator: Operator): void {
  app.get(
    '/v1/oauth/callback',
    {
      config: {
        openapi: {
          summary: 'Where Salesforce returns the admin after signing in (web connect)',
          tags: ['operator'],
          security: 'none',
          responses: {
            '200': { description: 'An HTML page naming the connected org.', content: { 'text/html': { schema: {} } } },
            '400': { description: 'An HTML page saying what went wrong.', content: { 'text/html': { schema: {} } } },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const str = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : '');
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (str('error')) {
        return reply
          .status(400)
          .send(
            page('Not connected', [
              `Salesforce answered <code>${escapeHtml(str('error'))}</code>: ${escapeHtml(str('error_description') || 'the connection was not allowed')}.`,
              'Nothing was saved. Ask the operator for a new connection link to try again.',
            ]),
          );
      }
      if (!str('state') || !str('code')) {
        return reply
          .status(400)
          .send(
            page('Not connected', ['This page needs the <code>code</code> and <code>state</code> Salesforce sends.']),
          );
      }
      try {
        const workspace = await operator.finishWebConnect(str('state'), str('code'));
        const c = workspace.connection;
        return reply.send(
          page('Connected to Salesforce', [
            `Workspace <strong>${escapeHtml(workspace.name)}</strong> is connected to org <code>${escapeHtml(c.orgId ?? '')}</code>${c.isSandbox ? ' (a sandbox)' : ''} at ${escapeHtml(c.instanceUrl ?? '')}, as ${escapeHtml(c.username ?? 'the user who allowed')}.`,
            'You can close this page. Activities waiting for this connection are being synced now.',
          ]),
        );
      } catch (error) {
        if (!(error instanceof ConnectError)) throw error;
        return reply
          .status(400)
          .send(page('Not connected', [`<code>${escapeHtml(error.code)}</code>: ${escapeHtml(error.message)}`]));
      }
    },
  );
}
