// Salesforce record ids. The API answers with 18-character ids; people paste 15-character ones
// (case-sensitive) from the UI. Relay stores and compares the 18-character form, whose last three
// characters encode the case of the first fifteen.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isSalesforceId(value: string): boolean {
  return ID.test(value);
}

/** The 18-character form of a 15- or 18-character id (the 18-character one is re-derived). */
export function to18(id: string): string {
  if (!isSalesforceId(id)) throw new RangeError(`not a Salesforce id: ${id}`);
  const base = id.slice(0, 15);
  let suffix = '';
  for (let block = 0; block < 3; block += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = base.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += ALPHABET[bits];
  }
  return base + suffix;
}

/** Key prefix → object, for the objects Relay links Tasks to. */
export function objectOfId(id: string): 'Contact' | 'Lead' | 'Account' | 'User' | 'Task' | 'Campaign' | undefined {
  switch (id.slice(0, 3)) {
    case '003':
      return 'Contact';
    case '00Q':
      return 'Lead';
    case '001':
      return 'Account';
    case '005':
      return 'User';
    case '00T':
      return 'Task';
    case '701':
      return 'Campaign';
    default:
      return undefined;
  }
}
