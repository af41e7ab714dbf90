// A small router for the REST resources: patterns like `/sobjects/:type/:id`, static segments
// before parameters (as Salesforce resolves `/sobjects/Lead/describe`), and the list of allowed
// methods for a path so a wrong method gets 405 rather than 404.
import type { RestHandler } from './http.js';

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: RestHandler;
}

export interface RouteMatch {
  handler: RestHandler;
  pattern: string;
  params: Record<string, string>;
}

export class RestRouter {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RestHandler): this {
    this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  private static matchSegments(route: Route, parts: string[]): Record<string, string> | undefined {
    if (route.segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const seg = route.segments[i]!;
      const part = parts[i]!;
      if (seg.startsWith(':')) params[seg.slice(1)] = part;
      else if (seg.toLowerCase() !== part.toLowerCase()) return undefined;
    }
    return params;
  }

  /** The best route: fewest parameters wins (static segments first). */
  private candidates(path: string): { route: Route; params: Record<string, string>; score: number }[] {
    const parts = path
      .split('/')
      .filter(Boolean)
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      });
    const found: { route: Route; params: Record<string, string>; score: number }[] = [];
    for (const route of this.routes) {
      const params = RestRouter.matchSegments(route, parts);
      if (params) found.push({ route, params, score: Object.keys(params).length });
    }
    return found.sort((a, b) => a.score - b.score);
  }

  match(method: string, path: string): RouteMatch | { allowed: string[] } | undefined {
    const found = this.candidates(path);
    if (found.length === 0) return undefined;
    const best = found[0]!.score;
    const sameShape = found.filter((f) => f.score === best);
    const hit = sameShape.find((f) => f.route.method === method) ?? found.find((f) => f.route.method === method);
    if (hit) return { handler: hit.route.handler, pattern: hit.route.pattern, params: hit.params };
    return { allowed: [...new Set(sameShape.map((f) => f.route.method))] };
  }
}
