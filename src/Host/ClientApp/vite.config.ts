import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The host serves the built app from its wwwroot; during development the API is proxied to it.
export default defineConfig({
  plugins: [react()],
  build: { outDir: '../wwwroot', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/api': 'http://127.0.0.1:5080', '/sim': 'http://127.0.0.1:5080' } },
  test: { environment: 'jsdom', setupFiles: ['src/test/setup.ts'] },
});
