import * as Sentry from "@sentry/browser";

// The official browser SDK, initialised with the DSN given at build time:
// CMake passes its cache variable VITE_REACT_SENTRY_DSN to `vite build` as
// VITE_SENTRY_DSN (a DSN is public, it ends up in the bundle anyway; it is
// not the upload token). Without one the SDK stays disabled and sends nothing.
const dsn = import.meta.env.VITE_SENTRY_DSN || undefined;

Sentry.init({
  dsn,
  // Only errors: no performance traces, sessions or replays, so the one
  // request a click causes is the error event.
  integrations: (defaults) => defaults.filter((i) => i.name !== "BrowserSession"),
  tracesSampleRate: 0,
  // Tells the page which event went out (the tests and the demo wait for it).
  beforeSend(event) {
    window.dispatchEvent(new CustomEvent("sentry-event", { detail: event.event_id }));
    return event;
  },
});

export const sentryEnabled = Boolean(dsn);
