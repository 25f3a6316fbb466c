/**
 * One rem in CSS pixels on the wall (wall.css sets it from the viewport: 16 px at 1920×1080,
 * 32 px at 3840×2160), for the map's sizes, which are given in pixels. Follows window resizes.
 */
import { useEffect, useState } from 'react'

export function remPixels(width: number, height: number): number {
  return Math.min(height / 67.5, width / 120)
}

export function useRemPixels(): number {
  const [unit, setUnit] = useState(() => remPixels(window.innerWidth, window.innerHeight))
  useEffect(() => {
    const onResize = () => setUnit(remPixels(window.innerWidth, window.innerHeight))
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])
  return unit
}
