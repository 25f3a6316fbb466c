/**
 * HTTP clients that misbehave on purpose, over raw sockets: one that sends a request and never
 * reads the answer (a stalled reader), and requests from a chosen loopback source address
 * (127.0.0.2, 127.0.0.3…: Linux routes all of 127/8 to lo), so tests can play many clients.
 */
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'

/** Sends a GET and never reads: the server's writes pile up until the socket buffers are full. */
export async function stalledGet(base: string, path: string, cookie: string): Promise<Socket> {
  const url = new URL(path, base)
  const socket = connect({ host: url.hostname, port: Number(url.port) })
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject))
  socket.on('error', () => {})
  socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\ncookie: ${cookie}\r\n\r\n`)
  socket.pause()
  return socket
}

/** A JSON request from `localAddress`; resolves to the status and parsed body. */
export function requestFrom(
  localAddress: string,
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, base)
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: Number(url.port),
        path: url.pathname + url.search,
        method: init.method ?? 'GET',
        localAddress,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          'sec-fetch-site': 'same-origin',
          ...init.headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? safeJson(text) : null, headers: res.headers }))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Polls `check` until it holds (no fixed sleeps: each round waits for the event loop only briefly). */
export async function waitUntil(check: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
