// URLs of the companion's preview routes, from the page's configuration (shell.ts sets it): the
// base path and the workspace the page shows, which every call carries.
interface PreviewGlobals {
  RELAY_PREVIEW_BASE?: string;
  RELAY_PREVIEW_WORKSPACE?: string;
}

export function previewUrl(path: string, params: Record<string, string | number> = {}): string {
  const globals = globalThis as PreviewGlobals;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.set(key, String(value));
  if (globals.RELAY_PREVIEW_WORKSPACE) query.set('workspace', globals.RELAY_PREVIEW_WORKSPACE);
  const search = query.toString();
  return `${globals.RELAY_PREVIEW_BASE ?? '/preview'}${path}${search ? `?${search}` : ''}`;
}
