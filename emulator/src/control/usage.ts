// Counts API requests the way Salesforce's DailyApiRequests does (one per REST or Bulk HTTP call,
// a Composite or Collections request once), and per endpoint so tests can assert how many calls a
// sync spent on each kind of request.
export class Usage {
  apiRequests = 0;
  private readonly perEndpoint = new Map<string, number>();

  count(method: string, pathPattern: string): void {
    this.apiRequests += 1;
    const key = `${method} ${pathPattern}`;
    this.perEndpoint.set(key, (this.perEndpoint.get(key) ?? 0) + 1);
  }

  snapshot(): { apiRequests: number; byEndpoint: Record<string, number> } {
    return { apiRequests: this.apiRequests, byEndpoint: Object.fromEntries(this.perEndpoint) };
  }

  reset(): void {
    this.apiRequests = 0;
    this.perEndpoint.clear();
  }
}
