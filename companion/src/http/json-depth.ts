// How deeply a JSON body may nest. Nothing Relay accepts nests more than a few levels, and the
// validators walk what they are given recursively: a body nested 10,000 deep would end in a stack
// overflow (a 500) instead of an answer. Checked iteratively, before any validation.
import { HttpError } from './errors.js';

export const MAX_JSON_DEPTH = 32;

/** Throws a 400 naming the rule when `value` nests deeper than `max` arrays and objects. */
export function assertJsonDepth(value: unknown, max = MAX_JSON_DEPTH): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) {
      throw new HttpError(400, 'TOO_DEEP', `the body nests arrays and objects more than ${max} levels deep`);
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}
