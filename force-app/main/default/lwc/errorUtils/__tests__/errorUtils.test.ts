import { reduceErrors } from 'c/errorUtils';

describe('c-error-utils', () => {
  it('returns nothing for no error', () => {
    expect(reduceErrors(undefined)).toEqual([]);
    expect(reduceErrors(null)).toEqual([]);
  });

  it('reads an AuraHandledException from Apex', () => {
    const apexError = { status: 500, body: { message: 'Relay could not reach the companion.' } };
    expect(reduceErrors(apexError)).toEqual(['Relay could not reach the companion.']);
  });

  it('reads Apex DML page and field errors', () => {
    const dmlError = {
      body: {
        message: 'ignored when specific errors exist',
        pageErrors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Company is required' }],
        fieldErrors: { Email: [{ message: 'invalid email address' }] },
      },
    };
    expect(reduceErrors(dmlError)).toEqual(['Company is required', 'Email: invalid email address']);
  });

  it('reads Lightning Data Service read errors (array body)', () => {
    const ldsError = { status: 404, body: [{ message: 'The requested resource does not exist' }] };
    expect(reduceErrors(ldsError)).toEqual(['The requested resource does not exist']);
  });

  it('reads Lightning Data Service write errors (output)', () => {
    const ldsError = {
      body: {
        message: 'An error occurred while trying to update the record.',
        output: { errors: [{ message: 'Record is locked' }], fieldErrors: { Title: [{ message: 'too long' }] } },
      },
    };
    expect(reduceErrors(ldsError)).toEqual(['Record is locked', 'Title: too long']);
  });

  it('reads the companion error shape', () => {
    const companionError = { body: { error: { code: 'UNAUTHENTICATED', message: 'Unknown org key' } } };
    expect(reduceErrors(companionError)).toEqual(['Unknown org key']);
  });

  it('reads OAuth errors', () => {
    const oauthError = { body: { error: 'invalid_grant', error_description: 'authentication failure' } };
    expect(reduceErrors(oauthError)).toEqual(['invalid_grant: authentication failure']);
  });

  it('reads JavaScript errors and strings', () => {
    expect(reduceErrors(new TypeError('x is undefined'))).toEqual(['x is undefined']);
    expect(reduceErrors('Plain text')).toEqual(['Plain text']);
  });

  it('reads a failed fetch response without a body', () => {
    expect(reduceErrors({ status: 503, statusText: 'Service Unavailable' })).toEqual(['503 Service Unavailable']);
  });

  it('flattens arrays and drops duplicates and blanks', () => {
    const errors = [new Error('same'), { body: { message: 'same' } }, '  ', { body: { message: 'other' } }];
    expect(reduceErrors(errors)).toEqual(['same', 'other']);
  });

  it('says unknown error rather than nothing for an unreadable error', () => {
    expect(reduceErrors({})).toEqual(['Unknown error']);
  });
});
