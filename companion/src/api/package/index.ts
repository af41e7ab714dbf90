// The managed package's data endpoints (docs/package-api.md): status, engagement, errors, retry,
// errors.csv — inside the platform's packageScope (Bearer org key; every query scoped to the key's
// workspace).
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../../http/routes.js';
import type { Engine } from '../../sync/engine.js';

export function registerPackageApi(_app: FastifyInstance, _ctx: RouteContext, _engine: Engine): void {}
