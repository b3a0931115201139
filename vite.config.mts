import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer: built to out/renderer with relative paths, so both shells (Electron's file://
// and the browser shell's HTTP server) can load it.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    sourcemap: true,
    // WIRELAB_READABLE_BUILD=1: not minified, so a bench's CPU profiles (BENCH_PROFILE,
    // BENCH_LIVE_PAGE_PROFILE) name the functions; slower, for reading profiles only.
    minify: process.env.WIRELAB_READABLE_BUILD ? false : 'esbuild',
  },
  worker: { format: 'es' },
  logLevel: 'warn',
});
