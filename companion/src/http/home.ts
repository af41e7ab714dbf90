// GET /: what a person who opens the companion's address finds — what runs here and where to go
// next (the preview when it is served, the OpenAPI document, health), instead of a 404.
import type { FastifyInstance } from 'fastify';
import { COMPANION_VERSION } from '../config/version.js';

function page(preview: boolean): string {
  const links = [
    ...(preview
      ? [
          ['/preview', 'Preview: the record sidebar of Leads, Contacts and Accounts with Relay activity'],
          ['/preview/setup', 'Preview: Relay Setup (connection, field mappings, sync switches, sync health)'],
        ]
      : []),
    ['/openapi.json', 'OpenAPI 3.1: every route (intake, platform, package, operator APIs)'],
    ['/healthz', 'Liveness'],
    ['/readyz', 'Readiness'],
    ['/metrics', 'Prometheus metrics (operator token)'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relay companion</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#181818}</style></head>
<body><main><h1>Relay companion ${COMPANION_VERSION}</h1>
<p>Engagement from the platform becomes Salesforce Tasks, Leads and Contacts here. The contracts are in the repository's <code>docs/</code> folder (intake, platform, operator and package APIs).</p>
<ul>${links.map(([href, text]) => `<li><a href="${href}">${text}</a></li>`).join('')}</ul>
</main></body></html>
`;
}

export function registerHomePage(app: FastifyInstance, options: { preview: boolean }): void {
  const html = page(options.preview);
  app.get(
    '/',
    {
      config: {
        openapi: {
          summary: 'A page linking the preview, the OpenAPI document and health',
          tags: ['operations'],
          security: 'none',
          responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: {} } } } },
        },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(html),
  );
}
