// "Check API budget now" for the Setup page (POST /v1/package/budget/check) and the operator API
// (POST /v1/admin/workspaces/<id>/budget-check): sync/budget-check.ts answers; a workspace without
// a connection has no budget to read and is answered 409, named; a check Salesforce refuses for the
// org's own limit is answered 503 with its code.
import { LimitPauseError } from '../../errors.js';
import { HttpError } from '../../http/errors.js';
import type { QueueControl } from '../../queue/control.js';
import { BudgetCheckError, checkBudget, type BudgetCheck } from '../../sync/budget-check.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';

export async function runBudgetCheck(engine: Engine, queue: QueueControl, workspace: Workspace): Promise<BudgetCheck> {
  try {
    return await checkBudget(engine, queue, workspace);
  } catch (error) {
    if (error instanceof BudgetCheckError) throw new HttpError(409, 'NOT_CONNECTED', `workspace: ${error.message}`);
    // Salesforce itself refused the check: the org's own daily limit is spent, not only Relay's share.
    if (error instanceof LimitPauseError) throw new HttpError(503, error.code, error.message);
    throw error;
  }
}
