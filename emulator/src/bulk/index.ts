// Bulk API 2.0 routes under /services/data/vNN.N/jobs/: ingest jobs (create, upload CSV, close,
// abort, info, results, delete, list) and query jobs (create, info, paged CSV results, abort,
// delete, list). The REST guard has already checked the session, applied faults and counted the
// call as an API request (every Bulk HTTP request counts, as in Salesforce). Jobs run
// asynchronously after the request that starts them, through InProgress to JobComplete or Failed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import { lockFaultRequested } from '../rest/guard.js';
import { SoqlError } from '../soql/index.js';
import { DELIMITERS, lineBreak, parseCsv, quote, type ColumnDelimiter, type LineEnding } from './csv.js';
import { processIngestJob, type BulkOrg } from './ingest.js';
import {
  TERMINAL,
  createdInfo,
  fullInfo,
  jobJson,
  listedInfo,
  patchedInfo,
  type IngestJob,
  type IngestOperation,
  type Job,
  type QueryJob,
} from './jobs.js';
import {
  UnsupportedQuery,
  checkBulkQuery,
  decodeLocator,
  resultPage,
  runQueryJob,
  validateBulkQuery,
} from './query.js';
import { JobStore, LIST_PAGE, listLocator, parseListLocator } from './store.js';

/** Largest upload Salesforce accepts: 150 MB once base64-encoded, i.e. 100 MB of CSV. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Records per results page when the client gives no maxRecords. */
export const DEFAULT_MAX_RECORDS = 50_000;

const OPERATIONS = new Set<IngestOperation>(['insert', 'update', 'upsert', 'delete', 'hardDelete']);
const LINE_ENDINGS = new Set<LineEnding>(['LF', 'CRLF']);

type Params = { version: string; jobId: string };
type Req = FastifyRequest<{ Params: Params; Querystring: Record<string, string | undefined> }>;

/** The Bulk API 2.0 error body: `[{"errorCode":"…","message":"…"}]`. */
function bulkError(reply: FastifyReply, status: number, errorCode: string, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json;charset=UTF-8')
    .send(JSON.stringify([{ errorCode, message }]));
}

function notFound(reply: FastifyReply): FastifyReply {
  return bulkError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
}

function sendJob(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json;charset=UTF-8').send(jobJson(body));
}

function versionOf(param: string): string {
  return param.replace(/^v/, '');
}

function objectBody(request: FastifyRequest): Record<string, unknown> | undefined {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) && !Buffer.isBuffer(b)
    ? (b as Record<string, unknown>)
    : undefined;
}

function csvOptions(
  body: Record<string, unknown>,
): { lineEnding: LineEnding; columnDelimiter: ColumnDelimiter } | string {
  const lineEnding = (body.lineEnding ?? 'LF') as LineEnding;
  const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
  if (!LINE_ENDINGS.has(lineEnding)) return `InvalidJob : Invalid lineEnding: ${String(body.lineEnding)}`;
  if (!(columnDelimiter in DELIMITERS)) return `InvalidJob : Invalid columnDelimiter: ${String(body.columnDelimiter)}`;
  if (body.contentType !== undefined && body.contentType !== 'CSV')
    return `InvalidJob : Invalid contentType: ${String(body.contentType)}`;
  return { lineEnding, columnDelimiter };
}

function callOptionsClient(request: FastifyRequest): string | undefined {
  const header = request.headers['sforce-call-options'];
  const text = Array.isArray(header) ? header.join(',') : header;
  const m = text ? /(?:^|,)\s*client=([^,]+)/.exec(text) : null;
  return m?.[1]?.trim();
}

function listBody(jobs: Job[], request: Req, kind: Job['kind']): Record<string, unknown> {
  const q = request.query;
  let selected = jobs;
  if (q.jobType) selected = selected.filter((j) => (j.kind === 'ingest' ? 'V2Ingest' : 'V2Query') === q.jobType);
  const start = q.queryLocator ? (parseListLocator(q.queryLocator) ?? 0) : 0;
  const page = selected.slice(start, start + LIST_PAGE);
  const done = start + page.length >= selected.length;
  return {
    done,
    records: page.map(listedInfo),
    nextRecordsUrl: done
      ? null
      : `/services/data/${request.params.version}/jobs/${kind}?queryLocator=${listLocator(start + page.length)}`,
  };
}

export function registerBulkRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const store = new JobStore();
  // Job dates follow the org's clock (the control plane can move it), like record dates do.
  const orgNow = () => ctx.org.now().getTime();
  const org = ctx.org as unknown as BulkOrg;

  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 1 }, (_req, body, done) =>
      done(null, body),
    );
  }

  const base = '/services/data/:version/jobs';
  const route = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    handler: (request: Req, reply: FastifyReply) => unknown,
    bodyLimit?: number,
  ) => {
    for (const url of [`${base}${path}`, `${base}${path}/`]) {
      app.route({ method, url, handler: handler as never, ...(bodyLimit ? { bodyLimit } : {}) });
    }
  };

  // Upload bodies over the limit: Fastify would answer with its own error body first.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'PUT' || !/\/jobs\/ingest\/[^/]+\/batches\/?$/.test(request.url.split('?')[0]!)) return;
    const length = Number(request.headers['content-length'] ?? '0');
    if (length > MAX_UPLOAD_BYTES) {
      // Wording ours: Salesforce documents the 100 MB (150 MB base64) limit, not the error body.
      return bulkError(
        reply,
        413,
        'REQUEST_ENTITY_TOO_LARGE',
        `Job data exceeds the maximum upload size of ${MAX_UPLOAD_BYTES} bytes (150 MB after base64 encoding)`,
      );
    }
  });

  const schedule = (fn: () => Promise<void> | void) => {
    setImmediate(() => {
      Promise.resolve()
        .then(fn)
        .catch((e: unknown) => app.log.error(e));
    });
  };

  // ---- ingest -------------------------------------------------------------------------------
  route('POST', '/ingest', (request, reply) => {
    const body = objectBody(request);
    if (!body) return bulkError(reply, 400, 'INVALIDJOB', 'InvalidJob : No job properties in the request body');
    const object = typeof body.object === 'string' ? body.object.trim() : '';
    const operation = body.operation as IngestOperation;
    if (!object) return bulkError(reply, 400, 'INVALIDJOB', 'InvalidJob : The object of the job is required');
    if (!OPERATIONS.has(operation))
      return bulkError(reply, 400, 'INVALIDJOB', `InvalidJob : Invalid job operation: ${String(body.operation ?? '')}`);
    const opts = csvOptions(body);
    if (typeof opts === 'string') return bulkError(reply, 400, 'INVALIDJOB', opts);
    const def = ctx.org.describe(object);
    // Salesforce's wording for an unknown object ("Unable to find object").
    if (!def) return bulkError(reply, 400, 'INVALIDJOB', `InvalidJob : Unable to find object: ${object}`);
    if (def.customMetadata)
      return bulkError(reply, 400, 'INVALIDENTITY', `Entity '${def.name}' is not supported by the Bulk API.`);
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const ext = typeof body.externalIdFieldName === 'string' ? body.externalIdFieldName.trim() : '';
      if (!ext) {
        return bulkError(
          reply,
          400,
          'INVALIDJOB',
          `InvalidJob : External ID was blank for ${def.name}. An External ID must be specified for upsert.`,
        );
      }
      const field = def.fieldMap.get(ext.toLowerCase());
      if (!field || !(field.externalId || field.idLookup || field.name === 'Id')) {
        return bulkError(
          reply,
          400,
          'INVALIDJOB',
          `InvalidJob : Field name provided, ${ext} does not match an External ID, Salesforce Id, or indexed field for ${def.name}`,
        );
      }
      externalIdFieldName = field.name;
    }
    const session = ctx.session(request);
    const now = orgNow();
    const job: IngestJob = {
      kind: 'ingest',
      id: store.newId(),
      operation,
      object: def.name,
      createdById: session?.userId ?? '',
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      apiVersion: versionOf(request.params.version),
      lineEnding: opts.lineEnding,
      columnDelimiter: opts.columnDelimiter,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      successRows: [],
      failedRows: [],
      unprocessedRows: [],
      header: [],
      resultColumns: [],
    };
    if (externalIdFieldName) job.externalIdFieldName = externalIdFieldName;
    if (typeof body.assignmentRuleId === 'string') job.assignmentRuleId = body.assignmentRuleId;
    const client = callOptionsClient(request);
    (job as IngestJob & { client?: string }).client = client;
    store.add(job);
    return sendJob(reply, 200, createdInfo(job));
  });

  route('GET', '/ingest', (request, reply) => sendJob(reply, 200, listBody(store.list('ingest'), request, 'ingest')));

  route('GET', '/ingest/:jobId', (request, reply) => {
    const job = store.get(request.params.jobId, 'ingest');
    return job ? sendJob(reply, 200, fullInfo(job)) : notFound(reply);
  });

  route(
    'PUT',
    '/ingest/:jobId/batches',
    (request, reply) => {
      const job = store.get(request.params.jobId, 'ingest') as IngestJob | undefined;
      if (!job) return notFound(reply);
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (type !== 'text/csv') {
        return bulkError(
          reply,
          400,
          'INVALIDCONTENTTYPE',
          `Content type '${type}' is not supported for job data; use text/csv`,
        );
      }
      if (job.state !== 'Open')
        return bulkError(reply, 409, 'INVALIDJOBSTATE', `Unable to upload data to a job in state ${job.state}`);
      if (job.data !== undefined) {
        // Salesforce takes one upload per job.
        return bulkError(
          reply,
          400,
          'INVALIDJOBSTATE',
          `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
        );
      }
      const raw = request.body;
      job.data = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
      job.systemModstamp = orgNow();
      return reply.code(201).send();
    },
    MAX_UPLOAD_BYTES + 1,
  );

  route('PATCH', '/ingest/:jobId', (request, reply) => {
    const job = store.get(request.params.jobId, 'ingest') as IngestJob | undefined;
    if (!job) return notFound(reply);
    const state = objectBody(request)?.state;
    if (state === 'UploadComplete') {
      if (job.state !== 'Open')
        return bulkError(reply, 409, 'INVALIDJOBSTATE', `Unable to close a job in state ${job.state}`);
      job.state = 'UploadComplete';
      job.systemModstamp = orgNow();
      if (lockFaultRequested(request)) job.lockFault = true;
      const client = (job as IngestJob & { client?: string }).client;
      const writeOpts = {
        runAsUserId: job.createdById || undefined,
        apiVersion: job.apiVersion,
        ...(client ? { callOptionsClient: client } : {}),
      };
      schedule(async () => {
        if (job.state !== 'UploadComplete') return;
        job.state = 'InProgress';
        job.systemModstamp = orgNow();
        await processIngestJob(job, org, () => ctx.limits.consume('DailyBulkApiBatches', 1), writeOpts, orgNow);
      });
      return sendJob(reply, 200, patchedInfo(job));
    }
    if (state === 'Aborted') {
      if (TERMINAL.has(job.state)) {
        return bulkError(
          reply,
          400,
          'INVALIDJOBSTATE',
          `Aborting already ${job.state === 'JobComplete' ? 'Completed' : job.state} Job not allowed`,
        );
      }
      const notStarted = job.state === 'Open' || job.state === 'UploadComplete';
      job.state = 'Aborted';
      job.systemModstamp = orgNow();
      if (notStarted && job.data) {
        try {
          const rows = parseCsv(job.data, DELIMITERS[job.columnDelimiter], job.lineEnding);
          job.header = rows.shift() ?? [];
          job.unprocessedRows = rows.map((cells) => cells.map(quote).join(DELIMITERS[job.columnDelimiter]));
        } catch {
          // Unreadable data stays unprocessed as a whole; nothing row-shaped to report.
        }
      }
      return sendJob(reply, 200, patchedInfo(job));
    }
    return bulkError(reply, 400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
  });

  route('DELETE', '/ingest/:jobId', (request, reply) => {
    const job = store.get(request.params.jobId, 'ingest');
    if (!job) return notFound(reply);
    if (job.state === 'Open' || job.state === 'InProgress') {
      return bulkError(
        reply,
        400,
        'API_ERROR',
        'Error encountered when deleting the job because the job is not terminated',
      );
    }
    if (job.state === 'UploadComplete') job.state = 'Aborted';
    store.remove(job.id);
    return reply.code(204).send();
  });

  const results =
    (kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords') => (request: Req, reply: FastifyReply) => {
      const job = store.get(request.params.jobId, 'ingest') as IngestJob | undefined;
      if (!job) return notFound(reply);
      if (!TERMINAL.has(job.state) && !(kind === 'unprocessedrecords' && job.state !== 'Open')) {
        return bulkError(
          reply,
          400,
          'INVALIDJOBSTATE',
          `Results are not available while the job is in state ${job.state}`,
        );
      }
      const delimiter = DELIMITERS[job.columnDelimiter];
      const columns = job.resultColumns.map((i) => job.header[i] ?? '');
      let header: string[];
      let rows: string[];
      if (kind === 'successfulResults') {
        header = [quote('sf__Id'), quote('sf__Created'), ...columns];
        rows = job.successRows;
      } else if (kind === 'failedResults') {
        header = [quote('sf__Id'), quote('sf__Error'), ...columns];
        rows = job.failedRows;
      } else {
        header = job.header;
        rows = job.unprocessedRows;
      }
      const nl = lineBreak(job.lineEnding);
      const body = header.length ? [header.join(delimiter), ...rows].join(nl) + nl : '';
      return reply.code(200).type('text/csv;charset=UTF-8').send(body);
    };
  route('GET', '/ingest/:jobId/successfulResults', results('successfulResults'));
  route('GET', '/ingest/:jobId/failedResults', results('failedResults'));
  route('GET', '/ingest/:jobId/unprocessedrecords', results('unprocessedrecords'));

  // ---- query --------------------------------------------------------------------------------
  route('POST', '/query', (request, reply) => {
    const body = objectBody(request);
    if (!body) return bulkError(reply, 400, 'INVALIDJOB', 'InvalidJob : No job properties in the request body');
    const operation = body.operation ?? 'query';
    if (operation !== 'query' && operation !== 'queryAll') {
      return bulkError(reply, 400, 'INVALIDJOB', `InvalidJob : Invalid job operation: ${String(operation)}`);
    }
    const soql = typeof body.query === 'string' ? body.query : '';
    if (!soql.trim()) return bulkError(reply, 400, 'INVALIDJOB', 'InvalidJob : The query of the job is required');
    const opts = csvOptions(body);
    if (typeof opts === 'string') return bulkError(reply, 400, 'INVALIDJOB', opts);
    let object: string;
    try {
      const q = checkBulkQuery(soql);
      const obj = org.soql.describe(q.from.name);
      // The engine reports unknown objects and fields with Salesforce's wording.
      validateBulkQuery(soql, org.soql, operation);
      object = obj?.name ?? q.from.name;
    } catch (e) {
      if (e instanceof SoqlError) return bulkError(reply, 400, e.errorCode, e.message);
      if (e instanceof UnsupportedQuery) return bulkError(reply, 400, 'API_ERROR', e.message);
      throw e;
    }
    if (!ctx.limits.consume('DailyBulkV2QueryJobs', 1)) {
      // Wording ours: the daily allocation of query jobs is documented, its error body is not.
      return bulkError(
        reply,
        400,
        'EXCEEDEDQUOTA',
        'ExceededQuota : The maximum number of Bulk API 2.0 query jobs for the past 24 hours has been reached',
      );
    }
    const session = ctx.session(request);
    const now = orgNow();
    const job: QueryJob = {
      kind: 'query',
      id: store.newId(),
      operation,
      object,
      query: soql,
      createdById: session?.userId ?? '',
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      apiVersion: versionOf(request.params.version),
      lineEnding: opts.lineEnding,
      columnDelimiter: opts.columnDelimiter,
      numberRecordsProcessed: 0,
      retries: 0,
      totalProcessingTime: 0,
      lines: [],
    };
    store.add(job);
    schedule(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      job.systemModstamp = orgNow();
      schedule(() => {
        if (job.state !== 'InProgress') return;
        try {
          runQueryJob(job, org.soql, ctx.org.now());
          job.state = 'JobComplete';
        } catch (e) {
          job.state = 'Failed';
          job.errorMessage = e instanceof SoqlError ? `${e.errorCode}: ${e.message}` : String(e);
        }
        job.systemModstamp = orgNow();
      });
    });
    return sendJob(reply, 200, createdInfo(job));
  });

  route('GET', '/query', (request, reply) => sendJob(reply, 200, listBody(store.list('query'), request, 'query')));

  route('GET', '/query/:jobId', (request, reply) => {
    const job = store.get(request.params.jobId, 'query');
    return job ? sendJob(reply, 200, fullInfo(job)) : notFound(reply);
  });

  route('PATCH', '/query/:jobId', (request, reply) => {
    const job = store.get(request.params.jobId, 'query');
    if (!job) return notFound(reply);
    const state = objectBody(request)?.state;
    if (state !== 'Aborted') return bulkError(reply, 400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
    if (job.state !== 'UploadComplete' && job.state !== 'InProgress') {
      // Bulk API 2.0 Developer Guide, "Abort a Query Job".
      return bulkError(
        reply,
        400,
        'INVALIDJOBSTATE',
        `Aborting already ${job.state === 'JobComplete' ? 'Completed' : job.state} Job not allowed`,
      );
    }
    job.state = 'Aborted';
    job.systemModstamp = orgNow();
    return sendJob(reply, 200, patchedInfo(job));
  });

  route('DELETE', '/query/:jobId', (request, reply) => {
    const job = store.get(request.params.jobId, 'query');
    if (!job) return notFound(reply);
    if (!TERMINAL.has(job.state)) {
      // Bulk API 2.0 Developer Guide, "Delete a Query Job".
      return bulkError(
        reply,
        400,
        'API_ERROR',
        'Error encountered when deleting the job because the job is not terminated',
      );
    }
    store.remove(job.id);
    return reply.code(204).send();
  });

  route('GET', '/query/:jobId/results', (request, reply) => {
    const job = store.get(request.params.jobId, 'query') as QueryJob | undefined;
    if (!job) return notFound(reply);
    if (job.state !== 'JobComplete') {
      return bulkError(
        reply,
        400,
        'INVALIDJOBSTATE',
        `Results are not available while the job is in state ${job.state}`,
      );
    }
    let offset = 0;
    const locator = request.query.locator;
    if (locator !== undefined && locator !== '') {
      const decoded = decodeLocator(locator);
      if (decoded === undefined || decoded > job.lines.length)
        return bulkError(reply, 400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
      offset = decoded;
    }
    let max = DEFAULT_MAX_RECORDS;
    if (request.query.maxRecords !== undefined) {
      const n = Number(request.query.maxRecords);
      if (!Number.isInteger(n) || n <= 0)
        return bulkError(reply, 400, 'INVALIDJOB', `Invalid maxRecords: ${request.query.maxRecords}`);
      max = n;
    }
    const page = resultPage(job, offset, max);
    return reply
      .code(200)
      .header('Sforce-Locator', page.locator)
      .header('Sforce-NumberOfRecords', String(page.count))
      .type('text/csv;charset=UTF-8')
      .send(page.body);
  });
}
