// A workspace is one platform customer (tenant) connected to at most one Salesforce org; several
// workspaces may connect to the same org. These shapes are what the rest of the companion sees. No
// secret is a field of `Workspace` (signing secrets, client secrets, private keys and tokens are
// stored sealed and read only where a signature or a login needs them), so passing a workspace to
// a logger or an API answer can never leak one.

/** How the companion signs in to the org (OAuth 2.0 flows Salesforce supports). */
export type AuthFlow = 'web' | 'client_credentials' | 'jwt_bearer' | 'password';

/** Where the admin signs in: login.salesforce.com, test.salesforce.com or the org's My Domain. */
export type OrgEnvironment = 'production' | 'sandbox' | 'mydomain';

/** The connection's settings, none of them secret. */
export interface SalesforceConnection {
  /** `https://login.salesforce.com`, `https://test.salesforce.com`, a My Domain, or the emulator's URL. */
  loginUrl: string;
  authFlow: AuthFlow;
  clientId: string;
  environment?: OrgEnvironment;
  /** JWT bearer and password flows: the integration user. */
  username?: string;
  /** JWT bearer from RELAY_SF_PRIVATE_KEY_FILE: the PEM file, read at each login. */
  privateKeyFile?: string;
}

/** The connection's secrets, stored sealed (`workspaces.credentials`). */
export interface ConnectionSecrets {
  clientSecret?: string;
  /** JWT bearer: the certificate's private key (PEM). */
  privateKeyPem?: string;
  password?: string;
  /** Web flow: the refresh token Salesforce issued (rotated when the app says so). */
  refreshToken?: string;
}

export type ConnectionStatus = 'not_connected' | 'connected' | 'needs_reconnect' | 'api_disabled';

/** What the operator API shows of a connection. */
export interface ConnectionInfo {
  status: ConnectionStatus;
  /** 00D… of the org (18 characters), once a connect call succeeded. */
  orgId: string | null;
  instanceUrl: string | null;
  isSandbox: boolean | null;
  /** The integration user the companion acts as. */
  username: string | null;
  connectedAt: string | null;
  /** Why the connection stopped working, in Salesforce's words (no secret). */
  lastError: string | null;
}

export interface Workspace {
  id: string;
  name: string;
  /** Inactive workspaces still accept events (nothing is lost) but are not synced. */
  active: boolean;
  /** Where Salesforce-side changes are delivered (docs/platform-api.md), or null. */
  outboundUrl: string | null;
  /** Null until the workspace is connected to an org. */
  salesforce: SalesforceConnection | null;
  connection: ConnectionInfo;
  createdAt: string;
  updatedAt: string;
}

export interface NewWorkspace {
  id: string;
  name: string;
  signingSecret: string;
  outboundUrl?: string | null;
  active?: boolean;
}

export interface WorkspacePatch {
  name?: string;
  outboundUrl?: string | null;
  active?: boolean;
}
