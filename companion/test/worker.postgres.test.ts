import { workerSuite } from './suites/worker.js';

workerSuite('postgres');
