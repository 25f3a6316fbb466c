/**
 * The send queue for the page: what is waiting (待发送) and what was refused, a function to add an
 * item, and the triggers that send it: the page opening, the browser's `online` event, the backoff
 * timer of the earliest waiting item, and each new item. One pass at a time across tabs
 * (Web Locks), so two tabs never send the same item at once.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { queryKeys } from '../api/query-keys.ts'
import { fieldTransport } from './field-api.ts'
import { drainQueue, type QueueItem } from './queue-logic.ts'
import { queueStore } from './queue-store.ts'

export interface SendQueue {
  waiting: QueueItem[]
  refused: QueueItem[]
  sending: boolean
  enqueue(item: QueueItem): Promise<void>
  discard(id: string): Promise<void>
  sendNow(): void
}

async function runExclusive<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  return locks ? locks.request('gridscope-send-queue', task) : task()
}

export function useSendQueue(): SendQueue {
  const queryClient = useQueryClient()
  const [items, setItems] = useState<QueueItem[]>([])
  const [sending, setSending] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const running = useRef<Promise<void> | null>(null)
  const again = useRef(false)

  const refresh = useCallback(async () => setItems(await queueStore.list()), [])

  const drain = useCallback((): void => {
    // A pass already running takes one more turn when it ends (a new item arrived meanwhile).
    if (running.current) {
      again.current = true
      return
    }
    clearTimeout(timer.current)
    setSending(true)
    running.current = (async () => {
      do {
        again.current = false
        const report = await runExclusive(() => drainQueue(queueStore, fieldTransport))
        await refresh()
        if (report.sent > 0) void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.all })
        if (report.nextAttemptAt !== null && !again.current) {
          timer.current = setTimeout(drain, Math.max(0, report.nextAttemptAt - Date.now()))
        }
      } while (again.current)
    })()
      .catch(() => {
        // IndexedDB refused (private mode, storage full): the next trigger tries again.
      })
      .finally(() => {
        running.current = null
        setSending(false)
      })
  }, [queryClient, refresh])

  useEffect(() => {
    void refresh()
    drain()
    const onOnline = () => {
      // Back online: everything is due now, whatever its backoff said.
      void queueStore.list().then(async (all) => {
        for (const item of all) if (!item.failed && item.nextAttemptAt > Date.now()) await queueStore.put({ ...item, nextAttemptAt: 0 })
        drain()
      })
    }
    window.addEventListener('online', onOnline)
    return () => {
      window.removeEventListener('online', onOnline)
      clearTimeout(timer.current)
    }
  }, [drain, refresh])

  const enqueue = useCallback(
    async (item: QueueItem) => {
      await queueStore.put(item)
      await refresh()
      drain()
    },
    [drain, refresh],
  )

  const discard = useCallback(
    async (id: string) => {
      await queueStore.remove(id)
      await refresh()
    },
    [refresh],
  )

  return {
    waiting: items.filter((item) => !item.failed),
    refused: items.filter((item) => item.failed),
    sending,
    enqueue,
    discard,
    sendNow: drain,
  }
}
