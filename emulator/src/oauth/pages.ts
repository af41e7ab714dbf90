// The HTML of the authorize endpoint: a login form with an Allow / Deny choice, as the
// authorization-code flow shows a user, carrying the request's parameters in hidden fields.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  state?: string;
  scope?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

function hidden(p: AuthorizeParams): string {
  return Object.entries(p)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(String(v))}">`)
    .join('\n        ');
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f3f3f3;margin:0}main{max-width:380px;margin:60px auto;background:#fff;border:1px solid #d8dde6;border-radius:4px;padding:24px}
h1{font-size:20px;margin:0 0 16px}label{display:block;font-size:13px;margin:12px 0 4px}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c9c9c9;border-radius:4px}
.actions{display:flex;gap:8px;margin-top:20px}button{flex:1;padding:10px;border-radius:4px;border:1px solid #0176d3;background:#0176d3;color:#fff;font-size:14px}button[value=deny]{background:#fff;color:#0176d3}
.error{color:#c23934;font-size:13px;margin:8px 0}p{font-size:13px;color:#3e3e3c}`;

export const authorizePage = {
  login(p: AuthorizeParams, error?: string): string {
    return `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>Login | Salesforce Emulator</title><style>${STYLE}</style></head>
  <body>
    <main>
      <h1>Log in to the Salesforce emulator</h1>
      <p><strong>${escapeHtml(p.client_id)}</strong> is asking to access your data (scope: ${escapeHtml(p.scope || 'api refresh_token')}).</p>
      ${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
      <form method="post" action="/services/oauth2/authorize">
        ${hidden(p)}
        <label for="username">Username</label>
        <input type="text" id="username" name="username" autocomplete="username" required>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password">
        <div class="actions">
          <button type="submit" name="action" value="allow">Allow</button>
          <button type="submit" name="action" value="deny" formnovalidate>Deny</button>
        </div>
      </form>
    </main>
  </body>
</html>`;
  },
  error(code: string, description: string): string {
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error | Salesforce Emulator</title><style>${STYLE}</style></head>
<body><main><h1>OAuth error</h1><p>error=${escapeHtml(code)}</p><p>error_description=${escapeHtml(description)}</p></main></body></html>`;
  },
};
