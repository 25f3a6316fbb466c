/**
 * A ring that expands and fades around each newly reported case for PULSE_MS, so a report is
 * noticed on a busy wall. The ring's size and opacity are computed per frame from the clock in
 * `pulseFrames` (pure), so the layer's accessors stay plain field reads; only a handful of rings
 * exist at a time, which keeps the per-frame update cheap.
 */
import { ScatterplotLayer } from '@deck.gl/layers'
import { PULSE_MS, type Pulse } from '../../incidents/use-incidents.ts'
import type { Rgba } from '../../map/palette.ts'

export const INCIDENT_PULSE_LAYER_ID = 'incident-pulses'

export interface PulseFrame {
  id: number
  position: [number, number]
  radius: number
  color: Rgba
}

const START_RADIUS = 8
const END_RADIUS = 42

/** The rings at `now` (performance.now()); finished pulses are left out. */
export function pulseFrames(pulses: readonly Pulse[], now: number, colorOf: (category: string) => Rgba): PulseFrame[] {
  return pulses.flatMap((pulse) => {
    const progress = (now - pulse.at) / PULSE_MS
    if (progress < 0 || progress >= 1) return []
    // Ease out: fast at first, settling as it fades.
    const eased = 1 - (1 - progress) ** 3
    const [r, g, b] = colorOf(pulse.category)
    return [
      {
        id: pulse.id,
        position: pulse.position,
        radius: START_RADIUS + (END_RADIUS - START_RADIUS) * eased,
        color: [r, g, b, Math.round(255 * (1 - progress))],
      },
    ]
  })
}

const getPosition = (f: PulseFrame) => f.position
const getRadius = (f: PulseFrame) => f.radius
const getLineColor = (f: PulseFrame) => f.color

export function createIncidentPulseLayer(frames: readonly PulseFrame[]) {
  return new ScatterplotLayer<PulseFrame>({
    id: INCIDENT_PULSE_LAYER_ID,
    data: frames,
    getPosition,
    getRadius,
    getLineColor,
    getLineWidth: 2.5,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    filled: false,
    stroked: true,
    // A new `frames` array each animation frame: deck.gl re-reads the accessors for a few rings.
    pickable: false,
  })
}
