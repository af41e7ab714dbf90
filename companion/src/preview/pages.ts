// The HTML of the preview pages: a Lightning record page (highlights header with the record's name
// and object, its details on the left, Relay's sidebar in the right column) and the Relay Setup
// app page. The components themselves are mounted by the bundle's entry scripts.

export interface PageAssets {
  /** `/preview` */
  base: string;
  /** Hash of the bundle: the scripts' URL changes with it, so browsers never run a stale one. */
  hash: string;
}

export interface RecordPageData {
  recordId: string;
  objectApiName: 'Lead' | 'Contact' | 'Account';
  name: string;
  /** Highlights: label and value, in display order. */
  fields: Array<[string, string | null]>;
  orgName: string;
  workspaceId: string;
}

const ICONS: Record<RecordPageData['objectApiName'], string> = { Lead: 'lead', Contact: 'contact', Account: 'account' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside <script>: `<` escaped so a value can never close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function layout(
  assets: PageAssets,
  title: string,
  body: string,
  config: Record<string, unknown>,
  entry: string,
): string {
  const { base } = assets;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${base}/slds/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #f3f3f3; min-height: 100vh; }
  .relay-preview__bar { background: #032d60; color: #fff; padding: 0.5rem 1rem; }
  .relay-preview__bar a { color: #fff; text-decoration: underline; }
  .relay-preview__main { padding: 0.75rem; }
  .relay-preview__note { font-size: 0.75rem; opacity: 0.85; }
</style>
</head>
<body>
${body}
<script type="application/json" id="relay-preview-config">${scriptJson(config)}</script>
<script type="module" src="${base}/assets/${assets.hash}/${entry}"></script>
</body>
</html>
`;
}

function topBar(assets: PageAssets, orgName: string, workspaceId: string): string {
  return `<div class="relay-preview__bar slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
  <div class="slds-text-heading_small">Relay preview <span class="relay-preview__note">— the package's components with live data from ${escapeHtml(orgName)} (workspace ${escapeHtml(workspaceId)})</span></div>
  <nav aria-label="Preview pages"><a href="${assets.base}">Records</a> · <a href="${assets.base}/setup">Relay Setup</a></nav>
</div>`;
}

export function recordPage(assets: PageAssets, data: RecordPageData): string {
  const icon = ICONS[data.objectApiName];
  const highlights = data.fields
    .map(
      ([label, value]) => `<li class="slds-page-header__detail-block">
          <div class="slds-text-title slds-truncate" title="${escapeHtml(label)}">${escapeHtml(label)}</div>
          <div class="slds-truncate" title="${escapeHtml(value ?? '')}">${escapeHtml(value ?? '—')}</div>
        </li>`,
    )
    .join('\n        ');
  const details = data.fields
    .map(
      ([label, value]) => `<div class="slds-form-element slds-form-element_readonly slds-form-element_stacked">
              <span class="slds-form-element__label">${escapeHtml(label)}</span>
              <div class="slds-form-element__control"><div class="slds-form-element__static">${escapeHtml(value ?? '')}</div></div>
            </div>`,
    )
    .join('\n            ');
  const body = `${topBar(assets, data.orgName, data.workspaceId)}
<main class="relay-preview__main">
  <div class="slds-page-header slds-page-header_record-home slds-m-bottom_small">
    <div class="slds-page-header__row">
      <div class="slds-page-header__col-title">
        <div class="slds-media">
          <div class="slds-media__figure">
            <span class="slds-icon_container slds-icon-standard-${icon}" title="${data.objectApiName}">
              <svg class="slds-icon slds-page-header__icon" aria-hidden="true"><use href="${assets.base}/slds/assets/icons/standard-sprite/svg/symbols.svg#${icon}"></use></svg>
              <span class="slds-assistive-text">${data.objectApiName}</span>
            </span>
          </div>
          <div class="slds-media__body">
            <div class="slds-page-header__name">
              <div class="slds-page-header__name-title">
                <h1>
                  <span class="relay-record-type">${data.objectApiName}</span>
                  <span class="slds-page-header__title slds-truncate relay-record-name" title="${escapeHtml(data.name)}">${escapeHtml(data.name)}</span>
                </h1>
              </div>
            </div>
          </div>
        </div>
      </div>
    </div>
    <div class="slds-page-header__row slds-page-header__row_gutters">
      <div class="slds-page-header__col-details">
        <ul class="slds-page-header__detail-row">
        ${highlights}
        </ul>
      </div>
    </div>
  </div>
  <div class="slds-grid slds-wrap slds-gutters_x-small">
    <div class="slds-col slds-size_1-of-1 slds-medium-size_7-of-12">
      <article class="slds-card">
        <div class="slds-card__header"><h2 class="slds-card__header-title">Details</h2></div>
        <div class="slds-card__body slds-card__body_inner">
          <div class="slds-form" role="list">
            ${details}
          </div>
        </div>
      </article>
    </div>
    <aside class="slds-col slds-size_1-of-1 slds-medium-size_5-of-12" aria-label="Relay engagement sidebar">
      <div id="relay-sidebar"></div>
    </aside>
  </div>
</main>`;
  return layout(
    assets,
    `${data.name} | ${data.objectApiName} | Relay preview`,
    body,
    {
      base: assets.base,
      page: 'record',
      recordId: data.recordId,
      objectApiName: data.objectApiName,
      workspace: data.workspaceId,
    },
    'record.js',
  );
}

export function setupPage(
  assets: PageAssets,
  data: { orgName: string; workspaceId: string; initialTab?: string },
): string {
  const body = `${topBar(assets, data.orgName, data.workspaceId)}
<main class="relay-preview__main">
  <div id="relay-setup"></div>
</main>`;
  return layout(
    assets,
    'Relay Setup | Relay preview',
    body,
    {
      base: assets.base,
      page: 'setup',
      workspace: data.workspaceId,
      ...(data.initialTab ? { initialTab: data.initialTab } : {}),
    },
    'setup.js',
  );
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; padding: 2rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;
}

export interface IndexRecord {
  id: string;
  objectApiName: string;
  name: string;
  detail: string | null;
  tasks: number;
}

/** `/preview`: where to start — records with Relay activity, a few others, and the Setup page. */
export function indexPage(
  assets: Pick<PageAssets, 'base'>,
  data: { orgName: string; workspaceId: string; records: IndexRecord[] },
): string {
  const rows = data.records
    .map(
      (r) => `<tr>
          <th scope="row"><a href="${assets.base}/record/${r.id}">${escapeHtml(r.name)}</a></th>
          <td>${escapeHtml(r.objectApiName)}</td>
          <td>${escapeHtml(r.detail ?? '')}</td>
          <td class="slds-text-align_right">${r.tasks}</td>
        </tr>`,
    )
    .join('\n        ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Relay preview</title>
<link rel="stylesheet" href="${assets.base}/slds/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #f3f3f3; }
  .relay-preview__bar { background: #032d60; color: #fff; padding: 0.5rem 1rem; }
  .relay-preview__bar a { color: #fff; text-decoration: underline; }
</style>
</head>
<body>
${topBar({ base: assets.base, hash: '' }, data.orgName, data.workspaceId)}
<main class="slds-p-around_small">
  <article class="slds-card">
    <div class="slds-card__header"><h1 class="slds-card__header-title slds-text-heading_medium">Records to open</h1></div>
    <div class="slds-card__body slds-card__body_inner">
      <p class="slds-m-bottom_small">Each opens a record page with Relay's sidebar. Records with Relay Tasks come first; the
      <a href="${assets.base}/setup">Relay Setup</a> page holds the connection, field mappings, sync switches and sync health.</p>
      <table class="slds-table slds-table_bordered slds-table_cell-buffer">
        <thead><tr><th scope="col">Name</th><th scope="col">Object</th><th scope="col">Email or website</th><th scope="col" class="slds-text-align_right">Relay Tasks</th></tr></thead>
        <tbody>
        ${rows}
        </tbody>
      </table>
    </div>
  </article>
</main>
</body>
</html>
`;
}
