// Helpers shared by the components' jest tests (kept out of deploys by .forceignore, and out of
// the bundles by its folder name).

/**
 * Lets pending promise chains settle: mocked Apex answers, wire emissions and the re-renders they
 * cause, a few promise turns deep.
 */
export function flushPromises(turns = 15): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < turns; i += 1) {
    chain = chain.then(() => undefined);
  }
  return chain;
}

/** The element's shadow root; fails the test when there is none. */
export function shadow(element: Element | null | undefined): ShadowRoot {
  if (!element?.shadowRoot) {
    throw new Error('no shadow root');
  }
  return element.shadowRoot;
}

/** A property of a (base component) element, as the component set it. */
export function prop(element: Element | null | undefined, name: string): unknown {
  return element ? Reflect.get(element, name) : undefined;
}
