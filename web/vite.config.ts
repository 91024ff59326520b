import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The web app (citizen app and operator console), built into dist/web for `civic serve`.
 * `npm run dev:web` serves it with hot reload and proxies the API to a running `civic serve`.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // Written for web/scripts/bundle-size.mjs: which chunks the entry loads up front.
    manifest: true,
    // The CSP forbids inline scripts and styles: no asset is inlined as a data: module.
    assetsInlineLimit: 0,
    target: "es2022",
  },
  server: {
    proxy: {
      "/v1": "http://127.0.0.1:8080",
      "/docs": "http://127.0.0.1:8080",
    },
  },
});
