/**
 * `npm run dev`: the API on API_PORT (default 8081) and the Vite dev server with hot reload on
 * PORT (default 5173), which proxies /api to the API (see vite.config.ts).
 */
import { createServer } from 'vite'
import { readConfig } from './config.ts'
import { log } from './log.ts'
import { progressReporter } from './progress.ts'
import { startServer } from './server.ts'

const config = readConfig()
const apiPort = Number(process.env.API_PORT ?? 8081)
const api = await startServer({ ...config, PORT: apiPort }, { serveWeb: false, onSeedProgress: progressReporter('seed') })
process.env.GRIDSCOPE_API_URL = api.url.replace(/\/$/, '')
const vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, server: { port: Number(process.env.PORT ?? 5173) } })
await vite.listen()
log.info({ api: api.url }, 'API running')
vite.printUrls()
const stop = async () => {
  await vite.close()
  await api.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
