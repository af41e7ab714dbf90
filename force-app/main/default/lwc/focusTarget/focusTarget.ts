// A place on a Setup page that another page asked to show: Sync health's fix actions name a switch
// or a mapping, Relay Setup opens the tab and hands the name to the page, and the page brings the
// input into view and focuses it once its data has loaded and rendered. A request is an object, so
// asking for the same place twice is a new request.

export interface FocusRequest {
  /** A setting's developer name (Sync switches) or a Salesforce field name (Field mappings). */
  name: string;
}

interface Focusable {
  focus?: () => void;
  scrollIntoView?: (options?: ScrollIntoViewOptions) => void;
}

/**
 * Scrolls the first element matching `selector` into the middle of the view and focuses it.
 * Returns false when nothing matches (not rendered yet, or no such place).
 */
export function revealAndFocus(root: ParentNode | null | undefined, selector: string): boolean {
  const element = root?.querySelector(selector) as Focusable | null | undefined;
  if (!element) return false;
  element.scrollIntoView?.({ block: 'center' });
  element.focus?.();
  return true;
}

/** A value safe inside a double-quoted attribute selector. */
export function selectorValue(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
