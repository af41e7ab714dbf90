// Fault injection for tests: the next `count` requests matching a method and path answer with a
// chosen status and error code, optionally after a delay. Paths are compared against the part
// after `/services/data/vNN.N` (or the whole path for other endpoints), `*` matching any run of
// characters. Only an exact match or a `*` pattern matches, so a fault on `/composite` does not
// also hit `/composite/sobjects`.
export interface FaultSpec {
  method?: string;
  path?: string;
  status?: number;
  errorCode?: string;
  message?: string;
  count?: number;
  latencyMs?: number;
  /**
   * Hits one subrequest of a Composite or Composite Batch call instead of a whole HTTP request
   * (Salesforce answers each subrequest on its own, so one query of a batch can fail alone).
   */
  subrequest?: boolean;
  /** With `subrequest`: only a query whose SOQL contains this text (e.g. `FROM Lead`). */
  queryContains?: string;
}

export interface ActiveFault extends FaultSpec {
  remaining: number;
  matcher: RegExp | null;
}

function toMatcher(path: string | undefined): RegExp | null {
  if (!path || path === '*') return null;
  const escaped = path
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  // A trailing slash in the request (`/query/`) must not dodge a fault set on `/query`.
  return new RegExp(`^${escaped.replace(/\/$/, '')}/?$`);
}

export class Faults {
  private active: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = {
      ...spec,
      method: spec.method?.toUpperCase(),
      remaining: spec.count ?? 1,
      matcher: toMatcher(spec.path),
    };
    this.active.push(fault);
    return fault;
  }

  list(): FaultSpec[] {
    return this.active.map(({ matcher: _m, remaining, ...spec }) => ({ ...spec, count: remaining }));
  }

  clear(): void {
    this.active = [];
  }

  /**
   * A fault set with an explicit path that matches a path outside /services/data (the OAuth
   * endpoints); faults without a path only ever hit the data API.
   */
  takeExplicit(method: string, fullPath: string): ActiveFault | undefined {
    const index = this.active.findIndex(
      (f) =>
        !f.subrequest && !!f.matcher && (!f.method || f.method === method.toUpperCase()) && f.matcher.test(fullPath),
    );
    if (index < 0) return undefined;
    const fault = this.active[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault;
  }

  /** The fault to apply to this request, consuming one of its uses; undefined when none matches. */
  take(method: string, relativePath: string, fullPath: string): ActiveFault | undefined {
    const reads = method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD';
    const index = this.active.findIndex(
      (f) =>
        !f.subrequest &&
        (!f.method || f.method === method.toUpperCase()) &&
        // A lock fault (UNABLE_TO_LOCK_ROW without a status) fails writes: a read cannot meet a
        // locked row, so it neither fails nor uses the fault up.
        !(reads && !f.method && !f.status && f.errorCode === 'UNABLE_TO_LOCK_ROW') &&
        (!f.matcher || f.matcher.test(relativePath) || f.matcher.test(fullPath)),
    );
    if (index < 0) return undefined;
    const fault = this.active[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault;
  }

  /** The fault for one subrequest (a fault set with `subrequest`), consuming one of its uses. */
  takeSubrequest(method: string, relativePath: string, soql: string | undefined): ActiveFault | undefined {
    const index = this.active.findIndex(
      (f) =>
        !!f.subrequest &&
        (!f.method || f.method === method.toUpperCase()) &&
        (!f.matcher || f.matcher.test(relativePath)) &&
        (!f.queryContains || (soql ?? '').includes(f.queryContains)),
    );
    if (index < 0) return undefined;
    const fault = this.active[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault;
  }
}
