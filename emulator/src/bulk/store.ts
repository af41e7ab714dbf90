// The org's Bulk API 2.0 jobs, one store per emulator: creation with Salesforce-shaped ids
// (key prefix 750), lookup by id (15 or 18 characters) and listing in pages of 1,000 with a
// query locator, as `GET /jobs/ingest` and `GET /jobs/query` page them.
import { checksum, IdFactory } from '../ids.js';
import type { Job } from './jobs.js';

export const LIST_PAGE = 1000;

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly ids = new IdFactory();

  newId(): string {
    return this.ids.next('750');
  }

  add(job: Job): void {
    this.jobs.set(job.id, job);
  }

  get(id: string, kind: Job['kind']): Job | undefined {
    const job = this.jobs.get(id) ?? (id.length === 15 ? this.jobs.get(id + checksum(id)) : undefined);
    return job && job.kind === kind ? job : undefined;
  }

  remove(id: string): void {
    this.jobs.delete(id);
  }

  list(kind: Job['kind']): Job[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind);
  }
}

/** Locator for the job list: `<listing id>-<offset>` in the shape of a query locator. */
export function listLocator(offset: number): string {
  return `01g5g00000Bulk2-${offset}`;
}

export function parseListLocator(locator: string): number | undefined {
  const m = /-(\d+)$/.exec(locator);
  return m ? Number(m[1]) : undefined;
}
