// Recently viewed records, tabs and theme: `GET /recent` (records stamped by `FOR VIEW` or
// `FOR REFERENCE`, newest first), the recentItems of `GET /sobjects/{Type}`, `GET /tabs` and
// `GET /theme`. Shapes: REST API Developer Guide, "Recently Viewed Items", "sObject Basic
// Information", "Tabs" and "Themes" (DescribeTab and DescribeTheme). Icons point at the standard
// Salesforce image paths under the org's URL.
import type { ObjectDef } from '../schema/types.js';
import { json, withAttributes, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';

/** The objects that have a tab in a new org, with their standard icon names and colours. */
const TABS: { object: string; icon: string; color: string }[] = [
  { object: 'Account', icon: 'account', color: '7F8DE1' },
  { object: 'Contact', icon: 'contact', color: 'A094ED' },
  { object: 'Lead', icon: 'lead', color: 'F88962' },
  { object: 'Campaign', icon: 'campaign', color: 'F49756' },
  { object: 'Task', icon: 'task', color: '4BC076' },
  { object: 'Event', icon: 'event', color: 'EB7092' },
  { object: 'User', icon: 'user', color: '65CAE4' },
];

function nameOf(def: ObjectDef, row: Record<string, unknown>): unknown {
  if (def.fieldMap.has('name')) return row.Name ?? [row.FirstName, row.LastName].filter(Boolean).join(' ');
  return row.Subject ?? null;
}

/** Viewed records of the given objects, newest view first. */
export function recentlyViewed(call: RestCall, objects: ObjectDef[], limit: number): Record<string, unknown>[] {
  const seen: { def: ObjectDef; row: Record<string, unknown>; at: string }[] = [];
  for (const def of objects) {
    for (const row of call.ctx.org.soql.scan(def.name, false)) {
      if (typeof row.LastViewedDate === 'string') seen.push({ def, row, at: row.LastViewedDate });
    }
  }
  seen.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return seen
    .slice(0, limit)
    .map(({ def, row }) => withAttributes(call.version, def.name, { Id: row.Id, Name: nameOf(def, row) }));
}

function recent(call: RestCall): RestResponse {
  const limit = Math.min(200, Math.max(1, Number(call.query.limit ?? 200) || 200));
  const objects = call.ctx.org.schema.objects.filter((d) => d.fieldMap.has('lastvieweddate'));
  return json(200, recentlyViewed(call, objects, limit));
}

function icons(base: string, icon: string): Record<string, unknown>[] {
  return [
    {
      contentType: 'image/svg+xml',
      height: 0,
      theme: 'theme4',
      url: `${base}/img/icon/t4v35/standard/${icon}.svg`,
      width: 0,
    },
    {
      contentType: 'image/png',
      height: 60,
      theme: 'theme4',
      url: `${base}/img/icon/t4v35/standard/${icon}_120.png`,
      width: 60,
    },
  ];
}

function colors(color: string): Record<string, unknown>[] {
  return [{ color, context: 'primary', theme: 'theme4' }];
}

function tabs(call: RestCall): RestResponse {
  const base = call.ctx.baseUrl();
  return json(
    200,
    TABS.map(({ object, icon, color }) => {
      const def = call.ctx.org.describe(object)!;
      return {
        colors: colors(color),
        custom: false,
        iconUrl: `${base}/img/icon/${icon}s32.png`,
        icons: icons(base, icon),
        label: def.labelPlural,
        miniIconUrl: `${base}/img/icon/${icon}s16.png`,
        name: `standard-${object}`,
        sobjectName: object,
        url: `${base}/${def.keyPrefix}/o`,
      };
    }),
  );
}

function theme(call: RestCall): RestResponse {
  const base = call.ctx.baseUrl();
  return json(200, {
    themeItems: TABS.map(({ object, icon, color }) => ({
      colors: colors(color),
      icons: icons(base, icon),
      name: object,
    })),
  });
}

export function registerRecentRoutes(router: RestRouter): void {
  router.add('GET', '/recent', recent).add('GET', '/tabs', tabs).add('GET', '/theme', theme);
}
