import { defineConfig } from 'vite';

// The desk's bundle: relative asset paths so it loads from app://desk (Electron) and from
// http://127.0.0.1:PORT (browser mode) alike; no inline scripts or styles (strict CSP).
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
