// Custom notifications the org has sent (the bell in Lightning Experience and the mobile app). The
// emulator has no users' screens, so it keeps what was sent for the control plane
// (`GET /__emulator/notifications`) and tests read it there.
export interface SentNotification {
  /** The order of sending, from 1. */
  seq: number;
  /** ISO 8601, the org's clock. */
  sentAt: string;
  /** The user whose session sent it. */
  senderId: string;
  customNotifTypeId: string;
  /** The type's DeveloperName (with its namespace: `relay__RelayAlert`) for readable assertions. */
  notificationType: string;
  /** The recipients the action was given. */
  recipientIds: string[];
  /** Those it reached: active users (Salesforce skips inactive ones without an error). */
  deliveredTo: string[];
  title: string;
  body: string;
  targetId: string | null;
  targetPageRef: string | null;
}

export class SentNotifications {
  readonly #sent: SentNotification[] = [];

  add(n: Omit<SentNotification, 'seq'>): SentNotification {
    const sent = { seq: this.#sent.length + 1, ...n };
    this.#sent.push(sent);
    return sent;
  }

  list(): SentNotification[] {
    return [...this.#sent];
  }

  clear(): void {
    this.#sent.length = 0;
  }
}
