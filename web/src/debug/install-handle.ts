/**
 * The one place that puts read-only handles on `window` for end-to-end tests, benchmarks and
 * operators at a wall's console: `__gridscope` (the dashboard's map, dashboard/debug-handle.ts),
 * `__gridscopeAnalyst` (analyst/analyst-debug.ts) and `__gridscopeWall` (wall/wall-debug.ts), `__gridscopeCaseReport` (the desk's report map),
 * `__gridscopeField` (the phone's cell map), each
 * declared on Window by its screen. WebGL output cannot be read through the DOM, so each screen
 * says what its map was given and when it drew it. A handle is frozen, not writable, and removed
 * again by the clean-up returned; screens build theirs from what they already hold (never from
 * library internals) and install it only through here, from their BaseMap's onReady or an effect.
 */
export type DebugHandleName = '__gridscope' | '__gridscopeAnalyst' | '__gridscopeWall' | '__gridscopeCaseReport' | '__gridscopeField'

/** Installs `handle` as `window[name]` until the returned clean-up runs. */
export function installDebugHandle<K extends DebugHandleName>(name: K, handle: NonNullable<Window[K]>): () => void {
  const frozen = Object.freeze({ ...handle })
  Object.defineProperty(window, name, { value: frozen, configurable: true, enumerable: false, writable: false })
  return () => {
    if ((window[name] as unknown) === frozen) delete window[name]
  }
}
