// The org's configuration, cached per workspace and refreshed lazily: only when a batch has work
// and the copy is older than `refreshAfterMs` (50 s, so a change in Setup reaches the sync within a
// minute), and then as three query subrequests (settings, field mappings, list → Campaign links)
// riding on the Composite call the batch makes anyway for matching. An idle org costs nothing; a busy one pays no extra call for its configuration.
// The copy is also kept in the database, so another worker or a restarted process reuses it
// instead of asking the org again.
import type { Db } from '../db/types.js';
import type { Subrequest, SubResponse } from '../salesforce/composite.js';
import { subrequestError } from '../salesforce/composite.js';
import { queryUrl } from '../salesforce/soql.js';
import { LIST_CAMPAIGN_LINK_SOQL, resolveLinks, type ListCampaignLinkRecord } from './campaign-links.js';
import {
  FIELD_MAPPING_SOQL,
  SYNC_SETTING_SOQL,
  defaultConfiguration,
  resolveMappings,
  resolveSettings,
  type FieldMappingRecord,
  type OrgConfiguration,
  type SyncSettingRecord,
} from './settings.js';

export const SETTINGS_REF = 'relaySettings';
export const MAPPINGS_REF = 'relayMappings';
export const LINKS_REF = 'relayCampaignLinks';

interface Stored {
  settings: OrgConfiguration['settings'];
  mappings: OrgConfiguration['mappings'];
  /** Absent in copies stored before links existed. */
  links?: OrgConfiguration['links'];
  problems: string[];
}

export class ConfigStore {
  readonly #memory = new Map<string, OrgConfiguration>();

  constructor(
    private readonly db: Db,
    public refreshAfterMs = 50_000,
  ) {}

  /** The freshest copy this process or the database has (defaults when the org was never read). */
  async current(workspaceId: string, now = Date.now()): Promise<OrgConfiguration> {
    const cached = this.#memory.get(workspaceId);
    if (cached && !this.isStale(cached, now)) return cached;
    const { rows } = await this.db.query<{ settings: Stored | null; settings_read_at: Date | null }>(
      'SELECT settings, settings_read_at FROM sync_org_state WHERE workspace_id = $1',
      [workspaceId],
    );
    const row = rows[0];
    if (row?.settings && row.settings_read_at && (!cached || row.settings_read_at.getTime() > cached.readAt)) {
      const fromDb: OrgConfiguration = {
        settings: { ...defaultConfiguration().settings, ...row.settings.settings },
        mappings: row.settings.mappings ?? [],
        links: row.settings.links ?? [],
        problems: row.settings.problems ?? [],
        readAt: row.settings_read_at.getTime(),
      };
      this.#memory.set(workspaceId, fromDb);
      return fromDb;
    }
    return cached ?? defaultConfiguration();
  }

  isStale(config: OrgConfiguration, now = Date.now()): boolean {
    return now - config.readAt >= this.refreshAfterMs;
  }

  /** Forgets the copy (tests; the status endpoint's "refresh now"). */
  invalidate(workspaceId: string): void {
    const cached = this.#memory.get(workspaceId);
    if (cached) this.#memory.set(workspaceId, { ...cached, readAt: 0 });
  }

  /** The three configuration queries, to add to a Composite request. */
  subrequests(): Subrequest[] {
    return [
      { method: 'GET', url: queryUrl(SYNC_SETTING_SOQL), referenceId: SETTINGS_REF },
      { method: 'GET', url: queryUrl(FIELD_MAPPING_SOQL), referenceId: MAPPINGS_REF },
      { method: 'GET', url: queryUrl(LIST_CAMPAIGN_LINK_SOQL), referenceId: LINKS_REF },
    ];
  }

  /**
   * Reads the configuration out of the answers of `subrequests()`. A query Salesforce refused
   * (package not installed, no access to the custom metadata type) means defaults, with the
   * problem kept for the status page; a query that was not answered at all keeps the old copy.
   */
  async apply(workspaceId: string, answers: Map<string, SubResponse>, now = Date.now()): Promise<OrgConfiguration> {
    const previous = this.#memory.get(workspaceId) ?? defaultConfiguration();
    const settingsRes = answers.get(SETTINGS_REF);
    const mappingsRes = answers.get(MAPPINGS_REF);
    const linksRes = answers.get(LINKS_REF);
    if (!settingsRes && !mappingsRes && !linksRes) return previous;
    const problems: string[] = [];
    let settings = previous.settings;
    if (settingsRes) {
      if (settingsRes.httpStatusCode === 200) {
        settings = resolveSettings(recordsOf<SyncSettingRecord>(settingsRes.body));
      } else {
        const e = subrequestError(settingsRes);
        problems.push(
          `relay__SyncSetting__mdt could not be read (${e.code}: ${e.message}); the default settings apply`,
        );
        settings = defaultConfiguration().settings;
      }
    }
    let mappings = previous.mappings;
    if (mappingsRes) {
      if (mappingsRes.httpStatusCode === 200) {
        const resolved = resolveMappings(recordsOf<FieldMappingRecord>(mappingsRes.body));
        mappings = resolved.mappings;
        problems.push(...resolved.problems);
      } else {
        const e = subrequestError(mappingsRes);
        problems.push(`relay__FieldMapping__mdt could not be read (${e.code}: ${e.message}); no field mappings apply`);
        mappings = [];
      }
    }
    const links = linksRes ? readLinks(linksRes, problems) : previous.links;
    const config: OrgConfiguration = { settings, mappings, links, problems, readAt: now };
    this.#memory.set(workspaceId, config);
    const stored: Stored = { settings, mappings, links, problems };
    await this.db.query(
      `INSERT INTO sync_org_state (workspace_id, settings, settings_read_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, settings_read_at = excluded.settings_read_at, updated_at = now()`,
      [workspaceId, JSON.stringify(stored), new Date(now)],
    );
    return config;
  }
}

/** The links of an answer; a refused query means no links, with the problem kept for the status page. */
function readLinks(res: SubResponse, problems: string[]): OrgConfiguration['links'] {
  if (res.httpStatusCode !== 200) {
    const e = subrequestError(res);
    problems.push(
      `relay__ListCampaignLink__mdt could not be read (${e.code}: ${e.message}); lists join only the Campaigns their events name`,
    );
    return [];
  }
  const resolved = resolveLinks(recordsOf<ListCampaignLinkRecord>(res.body));
  problems.push(...resolved.problems);
  return resolved.links;
}

function recordsOf<T>(body: unknown): T[] {
  const records = (body as { records?: unknown })?.records;
  return Array.isArray(records) ? (records as T[]) : [];
}
