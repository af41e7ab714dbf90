// Types for @salesforce/sfdx-lwc-jest's test helpers, which ship as plain JavaScript. They are the
// re-exports of @salesforce/wire-service-jest-util, which has its own declarations.

declare module '@salesforce/sfdx-lwc-jest' {
  export {
    createApexTestWireAdapter,
    createLdsTestWireAdapter,
    createTestWireAdapter,
  } from '@salesforce/wire-service-jest-util';
}
