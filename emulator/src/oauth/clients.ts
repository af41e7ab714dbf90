// The connected app the emulator knows and its users' passwords: the dev credentials of
// docs/emulator-control-plane.md, plus a certificate for the JWT bearer flow when one is configured.
import { createPublicKey, type KeyObject } from 'node:crypto';

export const DEV_CLIENT_ID = 'relay-dev';
export const DEV_CLIENT_SECRET = 'relay-dev-secret';
export const DEV_PASSWORD = 'relay-dev-password';

export class OAuthConfig {
  clientId = DEV_CLIENT_ID;
  clientSecret = DEV_CLIENT_SECRET;
  /** Password of every emulated user. */
  password = DEV_PASSWORD;
  /** Username the client-credentials flow runs as (the connected app's "Run As" user). */
  clientCredentialsUser = 'integration@relay.test';
  private jwtKey: KeyObject | undefined;

  /** Accepts an X.509 certificate or a public key in PEM, as uploaded to a connected app. */
  setJwtCertificate(pem: string | undefined): void {
    this.jwtKey = pem ? createPublicKey(pem) : undefined;
  }

  get jwtPublicKey(): KeyObject | undefined {
    return this.jwtKey;
  }
}
