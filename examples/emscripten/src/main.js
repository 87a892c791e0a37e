import * as Sentry from "@sentry/browser";
import { wasmIntegration } from "@sentry/wasm";

// The official browser SDK with its WebAssembly integration. The DSN is
// compiled in at build time (CMake's EMSCRIPTEN_EXAMPLE_SENTRY_DSN; a DSN is
// public, it is not the upload token); without one the SDK sends nothing.
const dsn = __SENTRY_DSN__ || undefined;
const status = document.querySelector("#sentry-status");
const button = document.querySelector("#checkout");

Sentry.init({
  dsn,
  // wasmIntegration patches WebAssembly.instantiateStreaming, so the module
  // loaded below is registered with its build ID, and rewrites wasm frames
  // to instruction_addr + addr_mode "rel:N" pointing at that image.
  integrations: (defaults) => [
    ...defaults.filter((i) => i.name !== "BrowserSession"),
    wasmIntegration(),
  ],
  tracesSampleRate: 0,
  beforeSend(event) {
    // checkout.js is Emscripten's generated runtime, not the app's code: not
    // in app, as a Sentry stack-trace rule "stack.abs_path:**/checkout.js
    // -app" would decide (it has no source map to resolve through).
    for (const exception of event.exception?.values || []) {
      for (const frame of exception.stacktrace?.frames || []) {
        if (/\/checkout\.js$/.test(frame.filename || "")) {
          frame.in_app = false;
        }
      }
    }
    status.textContent = `Sentry: error reported as event ${event.event_id}`;
    return event;
  },
});

// Emscripten's glue (checkout.js) fetches and instantiates checkout.wasm;
// it is loaded only now, after the integration patched WebAssembly.
window.Module = {
  onRuntimeInitialized() {
    button.disabled = false;
    status.textContent = dsn
      ? "Sentry: on; click “Check out” to trap in C++"
      : "Sentry: off (built without EMSCRIPTEN_EXAMPLE_SENTRY_DSN)";
  },
};
const glue = document.createElement("script");
glue.src = "checkout.js";
document.body.appendChild(glue);

button.addEventListener("click", () => {
  const items = Number(document.querySelector("#items").textContent);
  // An empty cart: price_per_item traps in src/checkout.cpp. The error is
  // left uncaught, so the SDK's global handler reports it.
  window.Module._price_per_item(1999, items - 1);
});
