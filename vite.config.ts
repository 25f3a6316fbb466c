/**
 * Vite build of the web client (web/ → web/dist). In development `npm run dev` (server/dev.ts)
 * starts the API and sets GRIDSCOPE_API_URL, and this dev server proxies /api to it. The map
 * libraries get chunks of their own so an app change does not invalidate the big vendor files.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const WEB_ROOT = new URL('./web/', import.meta.url).pathname

export default defineConfig({
  root: WEB_ROOT,
  plugins: [react()],
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
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
})
