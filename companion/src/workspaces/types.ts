// A workspace is one platform customer (tenant) connected to one Salesforce org. These shapes are
// what the rest of the companion sees; the signing secret is deliberately not a field of
// `Workspace` (it is read with getSigningSecret only where a signature is made or checked), so
// passing a workspace to a logger or an API answer can never leak it.

/** How the companion authenticates to the workspace's org (OAuth 2.0 flows Salesforce supports). */
export interface SalesforceConnection {
  /** `https://login.salesforce.com`, `https://test.salesforce.com`, a My Domain, or the emulator's URL. */
  loginUrl: string;
  authFlow: 'client_credentials' | 'jwt_bearer' | 'password';
  clientId: string;
  clientSecret?: string;
  /** JWT bearer (the integration user) and password flows. */
  username?: string;
  password?: string;
  /** JWT bearer: PEM file of the certificate's private key. */
  privateKeyFile?: string;
}

export interface Workspace {
  id: string;
  name: string;
  /** Inactive workspaces still accept events (nothing is lost) but are not synced. */
  active: boolean;
  /** Where Salesforce-side changes are delivered (CONTRACTS §5), or null. */
  outboundUrl: string | null;
  /** Null until the workspace is connected to an org. */
  salesforce: SalesforceConnection | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewWorkspace {
  id: string;
  name: string;
  signingSecret: string;
  /** The package's Bearer key; only its hash is stored. */
  orgKey?: string;
  salesforce?: SalesforceConnection | null;
  outboundUrl?: string | null;
  active?: boolean;
}

export interface WorkspacePatch {
  name?: string;
  signingSecret?: string;
  salesforce?: SalesforceConnection | null;
  outboundUrl?: string | null;
  active?: boolean;
}
