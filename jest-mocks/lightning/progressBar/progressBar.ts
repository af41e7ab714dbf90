// Jest stand-in for lightning-progress-bar. sfdx-lwc-jest's stub lacks the documented public
// `ariaLabel` property (lightning/progressBar in @salesforce/lightning-types), so `aria-label` in a
// template lands on the stub's host as a bare attribute, which axe rightly rejects on an element
// without a role. Declaring the property keeps tests faithful to the real component, which uses
// it as the accessible name of its inner role="progressbar" element.
import { LightningElement, api } from 'lwc';

export default class ProgressBar extends LightningElement {
  @api ariaLabel: string | null = null;
  @api size: string | undefined;
  @api value: number | undefined;
  @api variant: string | undefined;
}
