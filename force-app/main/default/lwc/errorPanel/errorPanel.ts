// The one way Relay components show an error: a readable headline, and the messages of whatever
// failed (Apex, Lightning Data Service, the companion) in a disclosure below it.
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/errorUtils';

export default class ErrorPanel extends LightningElement {
  /** Headline shown above the details. */
  @api friendlyMessage = 'Something went wrong.';

  /** The error(s) to explain: any shape reduceErrors understands. */
  @api errors: unknown;

  get messages(): string[] {
    return reduceErrors(this.errors);
  }

  get hasDetails(): boolean {
    return this.messages.length > 0;
  }

  get detailsLabel(): string {
    const count = this.messages.length;
    return count === 1 ? 'Show details' : `Show details (${count})`;
  }
}
