// The one Salesforce API version Relay speaks, bumped together with sfdx-project.json's
// `sourceApiVersion` (a test keeps them equal): the package's metadata and the companion's calls
// then see the same fields and the same behaviour.
export const SALESFORCE_API_VERSION = '66.0';

/** `/services/data/v66.0` — the prefix of every REST and Bulk API 2.0 resource. */
export const DATA_PATH = `/services/data/v${SALESFORCE_API_VERSION}`;
