// SyncHealthController for the preview: status and one page of errors from the companion, retry
// of chosen events or of a whole category, "Check API budget now", the CSV export and the
// conflicts — with the controller's checks of categories and event ids before any call.
import { AuraHandledException, toAuraError } from './aura-error.js';
import type { ApexAdapter } from './context.js';

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

export const getHealth: ApexAdapter = async ({ api }, params) => {
  const category = checkCategory(params.category);
  const cursor = typeof params.cursor === 'string' && params.cursor.trim() ? params.cursor : null;
  try {
    const [status, errors] = await Promise.all([api.status(), api.errors(category, ERRORS_PAGE_SIZE, cursor)]);
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

export const exportCsv: ApexAdapter = async ({ api }, params) => {
  const category = checkCategory(params.category);
  try {
    return await api.errorsCsv(category);
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
