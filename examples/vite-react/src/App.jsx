import { useEffect, useState } from "react";
import { checkout } from "./checkout.js";
import { sentryEnabled } from "./sentry.js";

// A tiny shop page. The button's click handler calls checkout(), which throws
// from a fixed place in src/checkout.js, so a stack trace resolved through
// the uploaded source map can be checked against a known file and line. The
// Sentry SDK (src/sentry.js) reports the uncaught error; the page shows the
// event's id once the SDK sent it.
export default function App() {
  const [items, setItems] = useState(1);
  const [eventId, setEventId] = useState(null);
  useEffect(() => {
    const onEvent = (e) => setEventId(e.detail);
    window.addEventListener("sentry-event", onEvent);
    return () => window.removeEventListener("sentry-event", onEvent);
  }, []);
  return (
    <main>
      <h1>SentrySourceMaps example</h1>
      <p>
        Items in cart: <output id="items">{items}</output>
      </p>
      <button id="add" onClick={() => setItems(items + 1)}>
        Add an item
      </button>
      <button id="checkout" onClick={() => checkout(items)}>
        Check out (throws)
      </button>
      <p id="sentry-status">
        {!sentryEnabled
          ? "Sentry: off (built without VITE_REACT_SENTRY_DSN)"
          : eventId
            ? `Sentry: error reported as event ${eventId}`
            : "Sentry: on; click “Check out” to report an error"}
      </p>
    </main>
  );
}
