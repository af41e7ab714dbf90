// OpenAPI documentation of the operator routes: one helper, since they share their security and
// error answers (docs/operator-api.md describes each body).
import { errorSchema } from '../http/errors.js';
import type { RouteDoc } from '../http/openapi.js';

const json = { 'application/json': { schema: { type: 'object' } } };
const problem = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

export function adminDoc(summary: string, success: '200' | '201' | '204' = '200'): RouteDoc {
  return {
    summary,
    tags: ['operator'],
    security: 'operator',
    responses: {
      [success]:
        success === '204' ? { description: 'Done.' } : { description: 'See docs/operator-api.md.', content: json },
      '400': problem('A field breaks a rule, or Salesforce refused the connection (the code names why).'),
      '401': problem('Missing or wrong operator token.'),
      '404': problem('No such workspace.'),
    },
  };
}
