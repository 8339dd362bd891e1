/**
 * Build of the web UI: web/ → dist/web/, which the hub serves with an SPA fallback
 * (src/platform/http/app.ts). Run from the repository root: `npm run build:web`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: webDir,
  // No public/ folder: every asset (DSFR fonts, icons, favicon) goes through the bundler, so it
  // gets a content hash and the server can cache it as immutable.
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: path.resolve(webDir, '../dist/web'),
    emptyOutDir: true,
    // Fonts and icons stay files (not data: URLs) so the CSS stays small and cacheable.
    assetsInlineLimit: 0,
    sourcemap: true,
    // Libraries change less often than the app: separate files stay cached across releases.
    // DSFR's own runtime (react-dsfr/dsfr/…) must stay a lazy chunk: startReactDsfr configures
    // window.dsfr before importing it, and bundling it eagerly breaks that order. cytoscape is
    // only for the join graph, echarts (and its zrender) only for charts: they stay in their own
    // lazy chunks, out of the eagerly loaded vendor.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: (id) => /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/.test(id) },
            { name: 'vendor', test: (id) => /node_modules[\\/]/.test(id) && !/react-dsfr[\\/]dsfr[\\/]|[\\/](cytoscape|echarts|zrender)[\\/]/.test(id) },
          ],
        },
      },
    },
  },
  server: {
    // `vite --config web/vite.config.ts` for UI work: the API comes from a running hub.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
