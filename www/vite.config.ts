import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  plugins: [
    // Installable and offline (issue 12): a manifest, and a Workbox service worker (generateSW)
    // that precaches every built asset: the page, both wasm modules (the page's and the
    // population's), the engine and population workers and the icons. The page registers it
    // from its own bundle (src/sw-register.ts): no inline script, as the CSP requires.
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Ketamine PK/PD simulator — educational model',
        short_name: 'ketasim',
        description: 'Ketamine plasma and effect-site concentrations and model-derived NMDA-receptor occupancy, for teaching. Educational model, not dosing advice.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f8fafc',
        theme_color: '#0f172a',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,css,wasm}'], // + the manifest and its icons, which the plugin adds
        // the benchmark page is a developer tool, not part of the app
        globIgnores: ['bench.html', 'assets/bench-*'],
        // the wasm modules are about 0.7 MB each
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/bench\.html/],
      },
    }),
  ],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
