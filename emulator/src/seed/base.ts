// What every emulated org has whatever the seed: the Organization record, its users, and the
// installed package's custom metadata records, custom notification types and permission sets —
// RelayAdmin assigned to the org's admin, as the install instructions ask.
import type { Org } from '../org.js';
import { formatDateTime } from '../store/values.js';

export const ADMIN_USERNAME = 'admin@relay.test';
export const INTEGRATION_USERNAME = 'integration@relay.test';

function must(results: { id: string | null; success: boolean; errors: unknown[] }[]): string[] {
  for (const r of results) if (!r.success) throw new Error(`seed write failed: ${JSON.stringify(r.errors)}`);
  return results.map((r) => r.id!);
}

export function seedBase(org: Org): void {
  org.orgId = org.fixedOrgId ?? org.ids.next('00D');
  // The admin exists before anything else so that every later record has an owner and creator.
  const adminId = org.ids.next('005');
  org.adminUserId = adminId;
  const userDefaults = {
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
  };
  const now = formatDateTime(org.now());
  org.store.put(org.store.table('Organization')!, {
    Id: org.orgId,
    Name: 'Relay Emulated Org',
    Division: null,
    Country: 'US',
    PrimaryContact: 'Relay Admin',
    DefaultLocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    TimeZoneSidKey: 'America/Los_Angeles',
    IsSandbox: false,
    OrganizationType: 'Enterprise Edition',
    InstanceName: 'EMU1',
    NamespacePrefix: null,
    TrialExpirationDate: null,
    CreatedDate: now,
    LastModifiedDate: now,
    SystemModstamp: now,
  });
  org.store.put(org.store.table('User')!, {
    Id: adminId,
    IsDeleted: false,
    Username: ADMIN_USERNAME,
    FirstName: 'Relay',
    LastName: 'Admin',
    Name: 'Relay Admin',
    Alias: 'radmin',
    Email: ADMIN_USERNAME,
    Title: 'Salesforce Administrator',
    IsActive: true,
    UserType: 'Standard',
    ...userDefaults,
    CreatedDate: now,
    CreatedById: adminId,
    LastModifiedDate: now,
    LastModifiedById: adminId,
    SystemModstamp: now,
  });
  must(
    org.insert(
      'User',
      [
        {
          Username: INTEGRATION_USERNAME,
          FirstName: 'Relay',
          LastName: 'Integration',
          Alias: 'rinteg',
          Email: INTEGRATION_USERNAME,
          UserType: 'Standard',
          ...userDefaults,
        },
      ],
      { system: true },
    ),
  );
  seedPackageSetup(org, adminId);
  for (const rec of org.schema.packageMetadata.records) {
    // A deployment with a label over 40 characters fails in a real org; say so, load it anyway.
    if (rec.label.length > 40 && !org.warnings.some((w) => w.includes(rec.developerName))) {
      org.warnings.push(
        `customMetadata ${rec.type}.${rec.developerName}: label is ${rec.label.length} characters; Salesforce allows 40`,
      );
    }
    must(
      org.insert(
        rec.type,
        [
          {
            DeveloperName: rec.developerName,
            MasterLabel: rec.label,
            Label: rec.label,
            Language: 'en_US',
            NamespacePrefix: 'relay',
            QualifiedApiName: `relay__${rec.developerName}`,
            ...rec.values,
          },
        ],
        { metadataApi: true, system: true },
      ),
    );
  }
}

/** The package's notification types and permission sets, RelayAdmin assigned to the admin. */
function seedPackageSetup(org: Org, adminId: string): void {
  const meta = org.schema.packageMetadata;
  must(
    org.insert(
      'CustomNotificationType',
      meta.notificationTypes.map((t) => ({
        DeveloperName: t.developerName,
        MasterLabel: t.masterLabel,
        CustomNotifTypeName: t.customNotifTypeName,
        Description: t.description,
        Desktop: t.desktop,
        Mobile: t.mobile,
        NamespacePrefix: 'relay',
      })),
      { system: true },
    ),
  );
  const ids = must(
    org.insert(
      'PermissionSet',
      meta.permissionSets.map((p) => ({ Name: p.name, Label: p.label, NamespacePrefix: 'relay' })),
      { system: true },
    ),
  );
  const admin = meta.permissionSets.findIndex((p) => p.name === 'RelayAdmin');
  if (admin >= 0)
    must(
      org.insert('PermissionSetAssignment', [{ AssigneeId: adminId, PermissionSetId: ids[admin] }], { system: true }),
    );
}

export { must };
