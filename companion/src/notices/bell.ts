// The bell: a Salesforce custom notification of the packaged type `relay__RelayAlert` to every
// active user holding the RelayAdmin permission set, through the standard invocable action
// `POST /actions/standard/customNotificationAction`. Two calls at most: one Composite reading the
// type's id (only the first time per org; it never changes once installed) and the recipients
// (assignments change, so they are read each time — notices are rare), then the action.
// Calls go through Relay's API budget like every other: Relay's share of the org's limit is never
// exceeded, not even to say it is spent (that bell waits for the budget; the platform hears at once).
import { errorItems, IntegrationError, primaryError } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { queryRecords } from '../salesforce/calls.js';
import { sendComposite, subrequestError, type Subrequest } from '../salesforce/composite.js';
import { queryUrl } from '../salesforce/soql.js';
import { DATA_PATH } from '../salesforce/version.js';

export const NOTIFICATION_TYPE = 'RelayAlert';
export const ADMIN_PERMISSION_SET = 'RelayAdmin';
const NAMESPACE = 'relay';
/** The action accepts at most 500 recipients per notification. */
const MAX_RECIPIENTS = 500;

/** Opens Relay Setup when the notification is clicked. */
const SETUP_PAGE = JSON.stringify({
  type: 'standard__navItemPage',
  attributes: { apiName: `${NAMESPACE}__Relay_Setup` },
});

export interface Bell {
  title: string;
  body: string;
}

export type BellResult = { sent: true; recipients: number } | { sent: false; reason: string };

/** The notification type id per org, read once per process. */
export class NotificationTypeCache {
  readonly #ids = new Map<string, string>();

  get(orgId: string): string | undefined {
    return this.#ids.get(orgId);
  }

  set(orgId: string, id: string): void {
    this.#ids.set(orgId, id);
  }
}

function typeQuery(): Subrequest {
  const soql = `SELECT Id, NamespacePrefix FROM CustomNotificationType WHERE DeveloperName = '${NOTIFICATION_TYPE}'`;
  return { method: 'GET', url: queryUrl(soql), referenceId: 'notifType' };
}

function recipientsQuery(): Subrequest {
  const soql =
    `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = '${ADMIN_PERMISSION_SET}'` +
    ` AND PermissionSet.NamespacePrefix = '${NAMESPACE}' AND Assignee.IsActive = true LIMIT ${MAX_RECIPIENTS}`;
  return { method: 'GET', url: queryUrl(soql), referenceId: 'admins' };
}

/** The packaged type among same-named ones (a subscriber may have its own RelayAlert). */
function pickType(records: unknown[]): string | undefined {
  const rows = records as { Id: string; NamespacePrefix?: string | null }[];
  return (rows.find((r) => r.NamespacePrefix === NAMESPACE) ?? rows[0])?.Id;
}

/** Sends one bell notification; throws IntegrationError (retried by the caller) when Salesforce refuses. */
export async function ringBell(
  client: SalesforceClient,
  types: NotificationTypeCache,
  bell: Bell,
): Promise<BellResult> {
  const session = await client.ensureSession();
  let typeId = types.get(session.orgId);
  const subs = [...(typeId ? [] : [typeQuery()]), recipientsQuery()];
  const answers = await sendComposite(client, subs, 'notice.lookup');
  for (const sub of subs) {
    const res = answers.get(sub.referenceId);
    if (res?.httpStatusCode !== 200) {
      const err = subrequestError(res);
      throw new IntegrationError(`${err.code}: ${err.message}`, err.code, res?.httpStatusCode);
    }
  }
  if (!typeId) {
    typeId = pickType(queryRecords(answers.get('notifType')!.body).records);
    if (!typeId)
      throw new IntegrationError(
        `the custom notification type ${NOTIFICATION_TYPE} is not in the org (is the package installed?)`,
        'NOTIFICATION_TYPE_MISSING',
      );
    types.set(session.orgId, typeId);
  }
  const recipients = [
    ...new Set(
      (queryRecords(answers.get('admins')!.body).records as { AssigneeId: string }[]).map((r) => r.AssigneeId),
    ),
  ];
  if (recipients.length === 0)
    return { sent: false, reason: `no active user holds the ${ADMIN_PERMISSION_SET} permission set` };
  const res = await client.request<unknown>({
    method: 'POST',
    path: `${DATA_PATH}/actions/standard/customNotificationAction`,
    body: {
      inputs: [
        {
          customNotifTypeId: typeId,
          recipientIds: recipients,
          title: bell.title,
          body: bell.body,
          targetPageRef: SETUP_PAGE,
        },
      ],
    },
    label: 'notice.bell',
  });
  const result = (Array.isArray(res.body) ? res.body[0] : undefined) as
    { isSuccess?: boolean; errors?: unknown } | undefined;
  if (!result?.isSuccess) {
    const err = primaryError(errorItems(result?.errors ?? res.body));
    throw new IntegrationError(`${err.code}: ${err.message}`, err.code, res.status);
  }
  return { sent: true, recipients: recipients.length };
}
