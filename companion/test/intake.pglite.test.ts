import { intakeSuite } from './suites/intake.js';

intakeSuite('pglite');
