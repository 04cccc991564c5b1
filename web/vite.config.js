// Builds the client into the server's wwwroot (served by Parley.Server at /). `npm run dev` serves it with hot reload
// and forwards the API and the OpenVidu WebSocket to a Parley running on :4443 (PARLEY_URL overrides).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';

const parley = process.env.PARLEY_URL ?? 'http://localhost:4443';

export default defineConfig({
  plugins: [vue(), vuetify({ autoImport: true })],
  build: {
    outDir: fileURLToPath(new URL('../src/Parley.Server/wwwroot', import.meta.url)),
    emptyOutDir: true,
    // No source maps and no inlined build metadata: the same sources and lockfile give the same bytes.
    sourcemap: false,
    // openvidu-browser and its dependencies are most of the one script; that is expected.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // The token Parley mints points at the host the request came to, so the browser's WebSocket comes back here
    // and is forwarded too.
    proxy: {
      '/api': { target: parley },
      '/openvidu': { target: parley, ws: true },
    },
  },
});
