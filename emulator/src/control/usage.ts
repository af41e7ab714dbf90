// Counts API requests the way Salesforce's DailyApiRequests does (one per REST or Bulk HTTP call,
// a Composite or Collections request once), and per endpoint so tests can assert how many calls a
// sync spent on each kind of request. The subrequests of Composite calls are counted apart (they
// are no API calls): a client that sends its reads and its writes through `/composite` alike can
// still be asked whether a write was sent at all.
export class Usage {
  apiRequests = 0;
  private readonly perEndpoint = new Map<string, number>();
  private readonly perSubrequest = new Map<string, number>();

  count(method: string, pathPattern: string): void {
    this.apiRequests += 1;
    const key = `${method} ${pathPattern}`;
    this.perEndpoint.set(key, (this.perEndpoint.get(key) ?? 0) + 1);
  }

  /** One subrequest of a Composite call, by the endpoint it ran (not an API call of its own). */
  countSubrequest(method: string, pathPattern: string): void {
    const key = `${method} ${pathPattern}`;
    this.perSubrequest.set(key, (this.perSubrequest.get(key) ?? 0) + 1);
  }

  snapshot(): {
    apiRequests: number;
    byEndpoint: Record<string, number>;
    bySubrequest: Record<string, number>;
  } {
    return {
      apiRequests: this.apiRequests,
      byEndpoint: Object.fromEntries(this.perEndpoint),
      bySubrequest: Object.fromEntries(this.perSubrequest),
    };
  }

  reset(): void {
    this.apiRequests = 0;
    this.perEndpoint.clear();
    this.perSubrequest.clear();
  }
}
