// SyncHealthController for the preview: status and one page of errors from the companion (filtered
// by category, workspace and time), retry of chosen events, of one cause or of a whole category,
// "Check API budget now", the CSV export and the conflicts — with the controller's checks of
// categories, filters, causes and event ids before any call.
import { AuraHandledException, toAuraError } from './aura-error.js';
import type { ApexAdapter } from './context.js';
import type { ErrorFilters } from '../package-api.js';

const CATEGORIES = [
  'validation',
  'duplicate',
  'permission',
  'configuration',
  'limit',
  'transient',
  'unmatched',
  'delivery',
];
const SINCE_RANGES = ['1h', '24h', '7d', '30d', 'all'];
const WORKSPACE_ID = /^[A-Za-z0-9_.-]{1,255}$/;
const CAUSE_KEY = /^([a-z]+):[A-Z0-9_]*:[A-Za-z0-9_.-]*$/;
const ERRORS_PAGE_SIZE = 50;
const CONFLICTS_PAGE_SIZE = 50;
const MAX_RETRY_IDS = 1000;
const MAX_EVENT_ID_LENGTH = 255;

function checkCategory(category: unknown): string | null {
  if (category === null || category === undefined || (typeof category === 'string' && !category.trim())) return null;
  if (typeof category !== 'string' || !CATEGORIES.includes(category)) {
    throw new AuraHandledException(
      `Unknown error category "${String(category)}"; use one of ${CATEGORIES.join(', ')}.`,
    );
  }
  return category;
}

const blank = (value: unknown) => value === null || value === undefined || (typeof value === 'string' && !value.trim());

function checkWorkspace(workspace: unknown): string | null {
  if (blank(workspace)) return null;
  if (typeof workspace !== 'string' || !WORKSPACE_ID.test(workspace)) {
    throw new AuraHandledException(
      `Unknown workspace "${String(workspace).slice(0, 57)}"; choose one of the workspaces listed.`,
    );
  }
  return workspace;
}

function checkSince(since: unknown): string | null {
  if (blank(since)) return null;
  if (typeof since !== 'string' || !SINCE_RANGES.includes(since)) {
    throw new AuraHandledException(
      `Unknown time range "${String(since).slice(0, 57)}"; use one of ${SINCE_RANGES.join(', ')}.`,
    );
  }
  return since;
}

/** SyncHealthController.checkFilters. */
function checkFilters(params: Record<string, unknown>): ErrorFilters {
  return {
    category: checkCategory(params.category),
    workspace: checkWorkspace(params.workspace),
    since: checkSince(params.since),
  };
}

export const getHealth: ApexAdapter = async ({ api }, params) => {
  const filters = checkFilters(params);
  const cursor = typeof params.cursor === 'string' && params.cursor.trim() ? params.cursor : null;
  try {
    const [status, errors] = await Promise.all([api.status(), api.errors(filters, ERRORS_PAGE_SIZE, cursor)]);
    return { status, errors };
  } catch (error) {
    throw toAuraError(error, 'load the sync health');
  }
};

export const getConflicts: ApexAdapter = async ({ api }) => {
  try {
    return await api.conflicts(CONFLICTS_PAGE_SIZE);
  } catch (error) {
    throw toAuraError(error, 'load the conflicts');
  }
};

export const retry: ApexAdapter = async ({ api }, params) => {
  const eventIds = params.eventIds;
  if (!Array.isArray(eventIds) || eventIds.length === 0 || eventIds.length > MAX_RETRY_IDS) {
    throw new AuraHandledException(`Choose between 1 and ${MAX_RETRY_IDS} events to retry.`);
  }
  for (const id of eventIds) {
    if (typeof id !== 'string' || !id.trim() || id.length > MAX_EVENT_ID_LENGTH) {
      throw new AuraHandledException(`An event id is blank or longer than ${MAX_EVENT_ID_LENGTH} characters.`);
    }
  }
  try {
    return await api.retry(eventIds as string[]);
  } catch (error) {
    throw toAuraError(error, 'retry the events');
  }
};

export const retryAll: ApexAdapter = async ({ api }, params) => {
  const category = checkCategory(params.category);
  try {
    return await api.retryAll(category);
  } catch (error) {
    throw toAuraError(error, 'retry the events');
  }
};

export const retryCause: ApexAdapter = async ({ api }, params) => {
  const cause = params.cause;
  const m = typeof cause === 'string' && cause.length <= 255 ? CAUSE_KEY.exec(cause) : null;
  if (!m || !CATEGORIES.includes(m[1]!)) throw new AuraHandledException('Choose a cause listed on the page to retry.');
  try {
    return await api.retryCause(cause as string);
  } catch (error) {
    throw toAuraError(error, 'retry the events');
  }
};

export const exportCsv: ApexAdapter = async ({ api }, params) => {
  const filters = checkFilters(params);
  try {
    return await api.errorsCsv(filters);
  } catch (error) {
    throw toAuraError(error, 'export the errors');
  }
};

export const checkBudget: ApexAdapter = async ({ api }) => {
  try {
    return await api.checkBudget();
  } catch (error) {
    throw toAuraError(error, 'check the API budget');
  }
};
