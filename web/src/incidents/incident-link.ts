/**
 * `/incident/<id>`: a link to one case. The page asks the server for the case (which answers 404
 * outside the viewer's scope, so the link shows nothing the viewer may not see), then opens the
 * map at the case's villager group with its drawer, and puts that grid's address in the bar.
 */
import { useEffect, useRef } from 'react'
import { fetchIncident } from '../api/client.ts'

const INCIDENT_PATH = /^\/incident\/([1-9][0-9]{0,15})\/?$/

export function incidentIdFromPath(pathname: string): number | null {
  const match = INCIDENT_PATH.exec(pathname)
  return match ? Number(match[1]) : null
}

/** The cell the map opens at for a case: its villager group (the household group's parent). */
export function cellOfIncident(gridCode: string): string {
  return gridCode.slice(0, 15)
}

export function useIncidentLink(open: (cell: string, id: number) => void, missing: () => void): void {
  const handled = useRef(false)
  useEffect(() => {
    if (handled.current) return
    handled.current = true
    const id = incidentIdFromPath(window.location.pathname)
    if (id === null) return
    fetchIncident(id).then((incident) => open(cellOfIncident(incident.gridCode), incident.id), missing)
  }, [open, missing])
}
