// Registers the service worker that vite-plugin-pwa (Workbox) generates at build time: it
// precaches every asset (the page, both wasm modules, the engine and population workers), so
// the page works offline after its first visit, also after a reload. A file, not an inline
// script (the CSP has no 'unsafe-inline'); registered after the first render so that the
// precaching does not compete with it. Not in the dev server (there is no sw.js there).
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e) => {
    console.warn(`ketasim: the offline cache could not be set up: ${e instanceof Error ? e.message : String(e)}`);
  });
}
