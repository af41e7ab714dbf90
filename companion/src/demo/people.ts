// Who the demo stream talks about. Read from the org when possible (Contacts with their Accounts,
// open Leads with their Company, active Users as the reps), so the events match real records the
// way a platform's would; a few invented people stay unmatched on purpose. Falls back to a fixed
// cast when the org cannot be read.

export interface Person {
  email: string;
  name: string;
  accountName: string | null;
}

export interface Cast {
  contacts: Person[];
  leads: Person[];
  unknown: Person[];
  accounts: string[];
  reps: string[];
}

const FALLBACK: Cast = {
  contacts: [
    { email: 'ada.lovelace@analytical.example', name: 'Ada Lovelace', accountName: 'Analytical Engines' },
    { email: 'grace.hopper@cobol.example', name: 'Grace Hopper', accountName: 'Cobol Systems' },
  ],
  leads: [{ email: 'alan.turing@prospects.example', name: 'Alan Turing', accountName: 'Bletchley Labs' }],
  unknown: [],
  accounts: ['Analytical Engines', 'Cobol Systems'],
  reps: ['ava.reed@relay.test', 'liam.patel@relay.test'],
};

const INVENTED: Person[] = [
  { email: 'jordan.blake@newco.example', name: 'Jordan Blake', accountName: 'Newco' },
  { email: 'sam.rivera@freshstart.example', name: 'Sam Rivera', accountName: null },
  { email: 'casey.morgan@unlisted.example', name: 'Casey Morgan', accountName: 'Unlisted Industries' },
];

interface QueryResult {
  records: Array<Record<string, unknown>>;
}

async function soql(instanceUrl: string, token: string, query: string): Promise<QueryResult> {
  const response = await fetch(`${instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(query)}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`query failed with ${response.status}`);
  return (await response.json()) as QueryResult;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Reads the cast from the emulator (dev client credentials); falls back on any failure. */
export async function loadCast(emulatorUrl: string | null): Promise<Cast> {
  if (!emulatorUrl) return { ...FALLBACK, unknown: INVENTED };
  try {
    const tokenResponse = await fetch(`${emulatorUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'relay-dev',
        client_secret: 'relay-dev-secret',
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!tokenResponse.ok) throw new Error(`token request failed with ${tokenResponse.status}`);
    const token = (await tokenResponse.json()) as { access_token: string; instance_url: string };
    const [contacts, leads, accounts, users] = await Promise.all([
      soql(
        token.instance_url,
        token.access_token,
        'SELECT Email, Name, Account.Name FROM Contact WHERE Email != null LIMIT 40',
      ),
      soql(
        token.instance_url,
        token.access_token,
        'SELECT Email, Name, Company FROM Lead WHERE Email != null AND IsConverted = false LIMIT 20',
      ),
      soql(token.instance_url, token.access_token, 'SELECT Name FROM Account LIMIT 20'),
      soql(
        token.instance_url,
        token.access_token,
        "SELECT Email FROM User WHERE IsActive = true AND Email LIKE '%@relay.test' LIMIT 10",
      ),
    ]);
    const cast: Cast = {
      contacts: contacts.records.map((r) => ({
        email: str(r.Email),
        name: str(r.Name),
        accountName: str((r.Account as Record<string, unknown> | null)?.Name) || null,
      })),
      leads: leads.records.map((r) => ({
        email: str(r.Email),
        name: str(r.Name),
        accountName: str(r.Company) || null,
      })),
      unknown: INVENTED,
      accounts: accounts.records.map((r) => str(r.Name)).filter(Boolean),
      reps: users.records.map((r) => str(r.Email)).filter((e) => e && !/^(admin|integration)@/.test(e)),
    };
    if (cast.contacts.length === 0 || cast.reps.length === 0 || cast.accounts.length === 0)
      throw new Error('the org has no demo data');
    return cast;
  } catch {
    return { ...FALLBACK, unknown: INVENTED };
  }
}
