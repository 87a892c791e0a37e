// Keep this file's line numbers stable: tests expect the error below to map
// back to src/checkout.js, line 8 (the `throw`).
export function checkout(items) {
  const total = items * 42;
  if (total > 0) {
    // Deliberate: the example exists to produce a stack trace that Sentry
    // resolves through the uploaded source map.
    throw new Error(`SentrySourceMaps example: checkout failed for ${items} item(s)`);
  }
  return total;
}
