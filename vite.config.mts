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
  },
  worker: { format: 'es' },
  logLevel: 'warn',
});
