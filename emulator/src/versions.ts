// API versions: 31.0 to 66.0 are served; older ones are retired (410), as in orgs since Summer '25.
export const MIN_VERSION = 31;
export const MAX_VERSION = 66;

/** Release label of a version: 31.0 is Summer '14, then Winter, Spring, Summer each year. */
function label(v: number): string {
  const k = v - 31;
  const season = ['Summer', 'Winter', 'Spring'][k % 3]!;
  const year = 14 + Math.floor((k + 2) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionList(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
    out.push({ label: label(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

export type VersionCheck = { ok: true; version: string } | { ok: false; status: 404 | 410 };

export function checkVersion(segment: string): VersionCheck {
  const m = /^v(\d+)\.(\d+)$/.exec(segment);
  if (!m) return { ok: false, status: 404 };
  const major = Number(m[1]);
  if (m[2] !== '0') return { ok: false, status: 404 };
  if (major < MIN_VERSION) return { ok: false, status: 410 };
  if (major > MAX_VERSION) return { ok: false, status: 404 };
  return { ok: true, version: `${major}.0` };
}

/** The resources a version lists at `/services/data/vNN.N/`. */
export function resourceList(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'prechatForms',
    'chatter',
    'tabs',
    'appMenu',
    'quickActions',
    'queryAll',
    'commerce',
    'wave',
    'iot',
    'analytics',
    'search',
    'identity',
    'composite',
    'parameterizedSearch',
    'fingerprint',
    'theme',
    'nouns',
    'event',
    'serviceTemplates',
    'recent',
    'connect',
    'licensing',
    'limits',
    'process',
    'async-queries',
    'query',
    'jobs',
    'match',
    'emailConnect',
    'compactLayouts',
    'knowledgeManagement',
    'sobjects',
    'actions',
    'support',
  ];
  const out: Record<string, string> = {};
  for (const n of names) out[n] = `${base}/${n}`;
  return out;
}
