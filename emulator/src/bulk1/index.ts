// Bulk API 1.0 under /services/async/NN.N/: create a job (XML or JSON body), add batches (CSV,
// JSON or XML records, or a SOQL statement for query jobs), read job and batch info, batch
// results, query results and the original request, close or abort a job. The session comes in
// `X-SFDC-Session` (or `Authorization: Bearer`); a bad one is 400 `InvalidSessionId`, which jsforce
// and simple-salesforce read as an expired session. Every request counts one DailyApiRequests and
// every batch one DailyBulkApiBatches, as in Salesforce (Bulk API Developer Guide, Limits).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import type { BulkOrg } from '../bulk/ingest.js';
import { cellText } from '../bulk/values.js';
import { checkVersion } from '../versions.js';
import { bearerToken } from '../oauth/bearer.js';
import {
  JobBook,
  MAX_BATCH_CHARS,
  batchFields,
  jobFields,
  runBatch,
  wireOf,
  type Batch,
  type ContentType,
  type Job,
  type Operation,
} from './jobs.js';
import {
  WireError,
  parseJobInfo,
  render,
  renderError,
  renderList,
  renderResultList,
  renderResults,
  renderXmlRecords,
  type Answer,
  type Wire,
} from './wire.js';

const OPERATIONS = new Set<Operation>(['insert', 'update', 'upsert', 'delete', 'hardDelete', 'query', 'queryAll']);
const CONTENT_TYPES = new Set<ContentType>(['CSV', 'JSON', 'XML']);
/** PK chunking's default and largest chunk size (Bulk API Developer Guide, PK Chunking Header). */
const PK_CHUNK_DEFAULT = 100_000;
const PK_CHUNK_MAX = 250_000;

type Params = { version: string; jobId: string; batchId: string; resultId: string };
type Req = FastifyRequest<{ Params: Params }>;

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  return reply
    .code(answer.status)
    .type(answer.type.includes('charset') ? answer.type : `${answer.type}; charset=UTF-8`)
    .send(answer.body);
}

/** The format a request speaks before a job is known: JSON when it sends or asks for JSON. */
function requestWire(request: FastifyRequest): Wire {
  const type = `${request.headers['content-type'] ?? ''} ${request.headers.accept ?? ''}`.toLowerCase();
  return type.includes('json') ? 'JSON' : 'XML';
}

function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-sfdc-session'];
  const sfdc = Array.isArray(header) ? header[0] : header;
  return sfdc ? sfdc.trim() : bearerToken(request);
}

/** `Sforce-Enable-PKChunking`: `true`, `false`, or `chunkSize=N` among its options. */
function pkChunking(request: FastifyRequest): number | undefined | 'invalid' {
  const raw = request.headers['sforce-enable-pkchunking'];
  const text = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!text || text.toLowerCase() === 'false') return undefined;
  if (text.toLowerCase() === 'true') return PK_CHUNK_DEFAULT;
  const size = /chunkSize\s*=\s*(\d+)/i.exec(text);
  if (!size) return PK_CHUNK_DEFAULT;
  const n = Number(size[1]);
  return n >= 1 && n <= PK_CHUNK_MAX ? n : 'invalid';
}

export async function registerBulk1Routes(app: FastifyInstance, ctx: EmulatorContext): Promise<void> {
  const book = new JobBook();
  const org = ctx.org as unknown as BulkOrg;
  const clock = () => ctx.org.now().getTime();

  const enqueue = (job: Job, batch: Batch) => {
    job.queue = job.queue.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            try {
              runBatch(job, batch, org, book.ids, clock);
            } catch (e) {
              app.log.error(e);
            }
            resolve();
          }),
        ),
    );
  };

  /** Session, version and the daily allocation; an Answer when the request is refused. */
  const admit = (request: Req, pattern: string): Answer | undefined => {
    const wire = requestWire(request);
    const session = ctx.auth.validate(sessionToken(request));
    if (!session) return renderError(wire, 'InvalidSessionId', 'Invalid session id');
    const version = checkVersion(`v${request.params.version}`);
    if (!version.ok) return renderError(wire, 'InvalidVersion', `Invalid api version specified on URL`, 404);
    if (!ctx.limits.consume('DailyApiRequests', 1))
      return renderError(wire, 'ExceededQuota', 'TotalRequests Limit exceeded.', 403);
    ctx.usage.count(request.method, `/async${pattern}`);
    return undefined;
  };

  const jobOf = (request: Req): Job | Answer => {
    const job = book.get(request.params.jobId);
    return job ?? renderError(requestWire(request), 'InvalidJob', `Invalid job id: ${request.params.jobId}`);
  };

  const isAnswer = (x: unknown): x is Answer => !!x && typeof x === 'object' && 'body' in x && 'status' in x;

  const createJob = (request: Req): Answer => {
    const wire = requestWire(request);
    let info: Record<string, string>;
    try {
      info = parseJobInfo(String(request.body ?? ''), wire);
    } catch (e) {
      if (e instanceof WireError) return renderError(wire, wire === 'JSON' ? 'InvalidJob' : 'InvalidXML', e.message);
      throw e;
    }
    const operation = info.operation as Operation;
    if (!OPERATIONS.has(operation))
      return renderError(wire, 'InvalidJob', `Invalid job operation: ${info.operation ?? ''}`);
    const def = info.object ? ctx.org.describe(info.object) : undefined;
    if (!def || def.customMetadata)
      return renderError(wire, 'InvalidJob', `Unable to find object: ${info.object ?? ''}`);
    const contentType = (info.contentType ?? 'XML') as ContentType;
    if (!CONTENT_TYPES.has(contentType))
      return renderError(wire, 'InvalidJob', `Unsupported content type: ${info.contentType}`);
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const ext = def.fieldMap.get((info.externalIdFieldName ?? '').toLowerCase());
      if (!info.externalIdFieldName)
        return renderError(
          wire,
          'InvalidJob',
          `External ID was blank for ${def.name}. An External ID must be specified for upsert.`,
        );
      if (!ext || !(ext.externalId || ext.idLookup))
        return renderError(
          wire,
          'InvalidJob',
          `Field name provided, ${info.externalIdFieldName} does not match an External ID, Salesforce Id, or indexed field for ${def.name}`,
        );
      externalIdFieldName = ext.name;
    }
    const chunk = pkChunking(request);
    if (chunk === 'invalid')
      return renderError(wire, 'InvalidJob', `Invalid chunk size: the largest is ${PK_CHUNK_MAX}`);
    // simple-salesforce sends concurrencyMode as 0 (Parallel) or 1 (Serial).
    const serial = info.concurrencyMode === 'Serial' || info.concurrencyMode === '1';
    const session = ctx.session(request) ?? ctx.auth.validate(sessionToken(request))!;
    const now = clock();
    const job: Job = {
      id: book.ids.next('750'),
      operation,
      object: def.name,
      createdById: session.userId,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      concurrencyMode: serial ? 'Serial' : 'Parallel',
      contentType,
      apiVersion: String(Number(request.params.version).toFixed(1)),
      batches: [],
      queue: Promise.resolve(),
      writeOptions: { runAsUserId: session.userId, apiVersion: request.params.version },
    };
    if (externalIdFieldName) job.externalIdFieldName = externalIdFieldName;
    if (info.assignmentRuleId) job.assignmentRuleId = info.assignmentRuleId;
    if (chunk && (operation === 'query' || operation === 'queryAll')) job.pkChunkSize = chunk;
    book.add(job);
    return render(wireOf(job), 'jobInfo', jobFields(job), 201);
  };

  const changeJob = (request: Req, job: Job): Answer => {
    const wire = wireOf(job);
    let info: Record<string, string>;
    try {
      info = parseJobInfo(String(request.body ?? ''), requestWire(request));
    } catch (e) {
      if (e instanceof WireError) return renderError(wire, 'InvalidXML', e.message);
      throw e;
    }
    if (info.state === 'Closed' || info.state === 'Aborted') {
      if (job.state !== 'Open')
        return renderError(wire, 'InvalidJobState', `Job ${job.id} is ${job.state}: its state cannot change`);
      job.state = info.state;
      job.systemModstamp = clock();
      if (info.state === 'Aborted') {
        for (const b of job.batches) if (b.state === 'Queued') b.state = 'NotProcessed';
      }
      return render(wire, 'jobInfo', jobFields(job));
    }
    return renderError(wire, 'InvalidJobState', `Invalid state: ${info.state ?? ''}`);
  };

  const addBatch = (request: Req, job: Job): Answer => {
    const wire = wireOf(job);
    if (job.state !== 'Open')
      return renderError(wire, 'InvalidJobState', `Job ${job.id} is ${job.state}: no batches can be added`);
    const text = String(request.body ?? '');
    if (text.trim() === '') return renderError(wire, 'ClientInputError', 'The batch contains no data');
    if (text.length > MAX_BATCH_CHARS)
      return renderError(wire, 'InvalidBatch', `Exceeded max size limit of ${MAX_BATCH_CHARS}`);
    if (!ctx.limits.consume('DailyBulkApiBatches', 1))
      return renderError(wire, 'ExceededQuota', 'Daily Bulk API batch allocation exceeded');
    const now = clock();
    const newBatch = (): Batch => ({
      id: book.ids.next('751'),
      jobId: job.id,
      state: 'Queued',
      createdDate: now,
      systemModstamp: now,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
      request: text,
      results: [],
      queryResults: [],
    });
    const batch = newBatch();
    job.batches.push(batch);
    if (job.pkChunkSize) {
      // PK chunking: the batch that was sent is not processed; one batch per Id range reads the
      // rows instead (Bulk API Developer Guide, "Use PK Chunking").
      batch.state = 'NotProcessed';
      const ids = [...org.soql.scan(job.object, job.operation === 'queryAll')].map((r) => String(r.Id)).sort();
      for (let i = 0; i < Math.max(ids.length, 1); i += job.pkChunkSize) {
        const chunk = newBatch();
        chunk.idRange = [ids[i] ?? '', ids[i + job.pkChunkSize]];
        job.batches.push(chunk);
        enqueue(job, chunk);
      }
    } else {
      enqueue(job, batch);
    }
    job.systemModstamp = now;
    return render(wire, 'batchInfo', batchFields(batch), 201);
  };

  const batchResult = (job: Job, batch: Batch): Answer => {
    const wire = wireOf(job);
    if (batch.state === 'Queued' || batch.state === 'InProgress')
      return renderError(wire, 'InvalidBatch', 'Batch not completed');
    if (job.operation === 'query' || job.operation === 'queryAll') {
      if (batch.state !== 'Completed') return renderError(wire, 'InvalidBatch', 'Batch not completed');
      return renderResultList(
        wire,
        batch.queryResults.map((r) => r.id),
      );
    }
    return renderResults(job.contentType, batch.results);
  };

  const queryResult = (job: Job, batch: Batch, resultId: string): Answer => {
    const result = batch.queryResults.find((r) => r.id === resultId || r.id.slice(0, 15) === resultId);
    if (!result) return renderError(wireOf(job), 'InvalidBatch', `Invalid result id: ${resultId}`);
    if (job.contentType === 'JSON')
      return { status: 200, type: 'application/json', body: JSON.stringify(result.records) };
    if (job.contentType === 'XML')
      return {
        status: 200,
        type: 'application/xml',
        body: renderXmlRecords(job.object, result.columns, result.values),
      };
    // An empty CSV result is this line, not a header (Bulk API Developer Guide, query results).
    if (result.values.length === 0) return { status: 200, type: 'text/csv', body: 'Records not found for this query' };
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = result.values.map((row) => row.map((v, i) => q(cellText(v, result.types[i]))).join(','));
    return { status: 200, type: 'text/csv', body: [result.columns.map(q).join(','), ...lines].join('\n') + '\n' };
  };

  const batchRequest = (job: Job, batch: Batch): Answer => ({
    status: 200,
    type: job.contentType === 'CSV' ? 'text/csv' : job.contentType === 'JSON' ? 'application/json' : 'application/xml',
    body: batch.request,
  });

  type Handler = (request: Req) => Answer;
  const withJob =
    (fn: (request: Req, job: Job) => Answer): Handler =>
    (request) => {
      const job = jobOf(request);
      return isAnswer(job) ? job : fn(request, job);
    };
  const withBatch =
    (fn: (request: Req, job: Job, batch: Batch) => Answer): Handler =>
    (request) => {
      const job = jobOf(request);
      if (isAnswer(job)) return job;
      const batch = book.batch(job, request.params.batchId);
      return batch
        ? fn(request, job, batch)
        : renderError(wireOf(job), 'InvalidBatch', `Invalid batch id: ${request.params.batchId}`);
    };

  const routes: [string, string, Handler][] = [
    ['POST', '/job', createJob],
    ['GET', '/job/:jobId', withJob((_r, job) => render(wireOf(job), 'jobInfo', jobFields(job)))],
    ['POST', '/job/:jobId', withJob(changeJob)],
    ['POST', '/job/:jobId/batch', withJob(addBatch)],
    [
      'GET',
      '/job/:jobId/batch',
      withJob((_r, job) => renderList(wireOf(job), 'batchInfoList', 'batchInfo', job.batches.map(batchFields))),
    ],
    ['GET', '/job/:jobId/batch/:batchId', withBatch((_r, job, b) => render(wireOf(job), 'batchInfo', batchFields(b)))],
    ['GET', '/job/:jobId/batch/:batchId/request', withBatch((_r, job, b) => batchRequest(job, b))],
    ['GET', '/job/:jobId/batch/:batchId/result', withBatch((_r, job, b) => batchResult(job, b))],
    [
      'GET',
      '/job/:jobId/batch/:batchId/result/:resultId',
      withBatch((r, job, b) => queryResult(job, b, r.params.resultId)),
    ],
  ];

  await app.register(async (scope) => {
    // Batch bodies are CSV, JSON, XML or SOQL whatever the Content-Type says (simple-salesforce
    // posts SOQL as application/json), so this scope reads every body as text.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4 * MAX_BATCH_CHARS }, (_req, body, done) =>
      done(null, body),
    );
    for (const [method, path, handler] of routes) {
      scope.route({
        method: method as 'GET' | 'POST',
        url: `/services/async/:version${path}`,
        handler: (request, reply) => {
          const refused = admit(request as Req, path);
          return send(reply, refused ?? handler(request as Req));
        },
      });
    }
    scope.all('/services/async/*', (request, reply) =>
      send(
        reply,
        renderError(requestWire(request), 'InvalidUrl', `Unknown resource: ${request.url.split('?')[0]}`, 404),
      ),
    );
  });
}
