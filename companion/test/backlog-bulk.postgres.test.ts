import { backlogBulkSuite } from './sync-helpers/backlog-suite.js';

backlogBulkSuite('postgres');
