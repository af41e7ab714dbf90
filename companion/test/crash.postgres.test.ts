import { crashSuite } from './suites/crash.js';

crashSuite('postgres');
