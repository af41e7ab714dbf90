// Request paths as Salesforce reads them. Its front end treats a run of slashes as one, so
// `//services/data/v66.0/query` (what the Salesforce CLI requests after storing an instance URL
// that ends in `/`) reaches the same resource as `/services/data/v66.0/query`. The query string is
// left untouched: a `//` inside a SOQL literal or a redirect URI is data.
export function collapseSlashes(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.includes('//')) return url;
  return path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : url.slice(q));
}
