import { syncE2eSuite } from './sync-helpers/e2e-suite.js';

syncE2eSuite('postgres');
