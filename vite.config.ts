/**
 * Vite build of the web client (web/ → web/dist). In development `npm run dev` (server/dev.ts)
 * starts the API and sets GRIDSCOPE_API_URL, and this dev server proxies /api to it. The map
 * libraries get chunks of their own so an app change does not invalidate the big vendor files.
 *
 * vite-plugin-pwa (Workbox) writes the grid worker's installable app: manifest.webmanifest and
 * sw.js, a service worker for the phone page (/m) that precaches the built client, so /m opens
 * with no network at all; the API and tiles are never cached by it (the page keeps its own
 * send queue in IndexedDB). Nothing is fetched from another host.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

const WEB_ROOT = new URL('./web/', import.meta.url).pathname

export default defineConfig({
  root: WEB_ROOT,
  plugins: [
    react(),
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      scope: '/m',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: [],
      manifest: {
        id: '/m',
        name: '网格态势 · 网格员',
        short_name: '网格员',
        description: '网格员上报事件、处置案件、巡查 · Grid workers: report, act on cases, patrol',
        lang: 'zh-CN',
        start_url: '/m',
        scope: '/m',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#08121f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,png,svg,woff2}'],
        // deck.gl and maplibre-gl are large; the phone page needs them offline too.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/m(\/|$|\?|#)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: process.env.GRIDSCOPE_API_URL ?? 'http://127.0.0.1:8081', changeOrigin: true },
      '/tiles': { target: process.env.GRIDSCOPE_API_URL ?? 'http://127.0.0.1:8081', changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // deck.gl and maplibre-gl are large by nature; warn only when a chunk grows well past them.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/](maplibre-gl|@maplibre|@mapbox)[\\/]/, priority: 3 },
            { name: 'deck', test: /node_modules[\\/](@deck\.gl|@luma\.gl|@loaders\.gl|@math\.gl|@probe\.gl|mjolnir\.js|@vis\.gl)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/](?!(exifr|idb)[\\/])/, priority: 1 },
          ],
        },
      },
    },
  },
})
