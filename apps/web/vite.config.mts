import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard's build: static files in `dist/` that the coordinator serves at `/`. Relative
 * asset URLs (`base: './'`), so the app also works behind a proxy that mounts the coordinator
 * under a path. `npm run dev -w @crosscheck/web` serves it with hot reload and sends the API's
 * paths to the coordinator at `CROSSCHECK_URL` (default http://127.0.0.1:3000).
 */
const coordinator = process.env['CROSSCHECK_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // Preact's automatic JSX runtime, by esbuild itself: no plugin needed.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every browser the app supports has module preloading: no polyfill in the bundle.
    modulePreload: { polyfill: false },
    // No data: URIs for assets: the page's CSP keeps to files of the coordinator's own origin.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/health', '/docs', '/metrics', '/status'].map((path) => [path, { target: coordinator, changeOrigin: true }])),
  },
});
