import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `sourcemap: true` (not "hidden") on purpose: Vite then writes a
// `//# sourceMappingURL=` comment into every chunk, which is what a real
// project forgets about. sentry_sourcemaps_add_upload() deletes the maps after
// Sentry confirmed them and strips exactly those comments, so dist/ ends up
// as clean as with "hidden" - and the tests can see that it did.
export default defineConfig({
  plugins: [react()],
  build: {
    sourcemap: true,
    // CMake passes --outDir into its build tree; this is only the default
    // for a plain `npm run build`.
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
  },
});
