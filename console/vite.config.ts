// Builds the console into dist/ as static files for the gateway to serve at /: one module script, one stylesheet, hashed names.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Everything is ours and small: no inline asset data URLs (the CSP allows data: images only).
    assetsInlineLimit: 0,
  },
});
