// What a failed @AuraEnabled method gives the browser: ControllerSupport.auraError's
// AuraHandledException, whose message the LWC reads as `error.body.message`.
export class AuraHandledException extends Error {
  readonly exceptionType = 'System.AuraHandledException';
  constructor(message: string) {
    super(message);
    this.name = 'AuraHandledException';
  }
}

/** Errors whose message is meant for people (ControllerSupport.toAuraError's `forPeople` list). */
export class PeopleError extends Error {}

/** ControllerSupport.toAuraError: people's messages pass through, others name the action. */
export function toAuraError(error: unknown, action: string): AuraHandledException {
  if (error instanceof AuraHandledException) return error;
  const message = error instanceof Error ? error.message : String(error);
  const forPeople = error instanceof PeopleError || (error as Error | null)?.name === 'CompanionError';
  return new AuraHandledException(forPeople ? message : `Relay could not ${action}: ${message}`);
}
