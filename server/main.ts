/**
 * `npm start`: builds the web client if needed, starts Gridscope on one port and stops cleanly
 * on Ctrl-C or SIGTERM. Problems an operator can fix end the process with one sentence.
 */
import { readConfig, StartupError } from './config.ts'
import { log } from './log.ts'
import { startServer } from './server.ts'
import { ensureWebBuilt } from './web-build.ts'
import { progressReporter } from './progress.ts'

async function main(): Promise<void> {
  const config = readConfig()
  const server = await startServer(config, { onSeedProgress: progressReporter('seed'), beforeListen: ensureWebBuilt })
  log.info({ url: server.url, database: server.db.mode }, 'Gridscope is running')
  process.stdout.write(`\nGridscope 网格态势 is running: open ${server.url}\n\n`)
  // The token is a secret: printed for the operator, never logged.
  if (server.wallUrl)
    process.stdout.write(
      `Demo users (password gridscope-demo): commander, dianhai, dianhai-community, gridworker, analyst\nDemo wall display: ${server.wallUrl}\n\n`,
    )
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    // Each shutdown step is bounded (server.ts); this is the last resort.
    setTimeout(() => {
      log.error('shutdown did not finish in time; exiting')
      process.exit(1)
    }, 30_000).unref()
    await server.close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error) => {
  if (error instanceof StartupError) {
    process.stderr.write(`Gridscope cannot start: ${error.message}\n`)
  } else {
    log.fatal({ err: error }, 'start-up failed')
  }
  process.exit(1)
})
