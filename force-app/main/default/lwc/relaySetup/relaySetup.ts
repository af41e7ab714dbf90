// Relay's Setup app page: connection, field mappings, sync switches and sync health in one tabset,
// for users with the Manage Relay custom permission (Relay Admin). Without it the page explains
// what is missing and makes no data call: the tabs' components are never created.
import { LightningElement, api } from 'lwc';
import hasManageRelay from '@salesforce/customPermission/ManageRelay';

export default class RelaySetup extends LightningElement {
  /** Tab shown first: connection, mappings, switches or health. */
  @api initialTab = 'connection';

  get canManage(): boolean {
    return hasManageRelay === true;
  }
}
