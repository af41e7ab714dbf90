// Backlog batches through Bulk API 2.0, on PostgreSQL, the scale-out database they are for. (The
// claims and the engine are the same code on PGlite; `npm run bench:backlog` runs both.)
import { backlogBulkSuite } from './sync-helpers/backlog-suite.js';

backlogBulkSuite('postgres');
