// The endpoint a Salesforce call went to, as a metric label: the path without the API version,
// the query string and the ids in it, so the label set stays small (`/composite`, `/query`,
// `/sobjects/Contact/:id`, `/jobs/ingest/:id/batches`).

const VERSION_PREFIX = /^\/services\/data\/v\d+\.\d+/;
/** A Salesforce id (15 or 18 characters, key prefix first) or a bulk job/locator token. */
const ID_SEGMENT = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function endpointOf(path: string): string {
  const bare = (path.split('?')[0] ?? '').replace(VERSION_PREFIX, '');
  const segments = bare
    .split('/')
    .filter((s) => s.length > 0)
    .slice(0, 4)
    .map((s) => (ID_SEGMENT.test(s) && /\d/.test(s) ? ':id' : s));
  return `/${segments.join('/')}`;
}
