/**
 * "小事不出网格，大事不出镇": the share of closed cases resolved inside the grid (household or
 * villager group) and inside the town, as two meters with their percentages.
 */
export interface Share {
  key: string
  label: string
  /** 0…1, or null when nothing was closed. */
  rate: number | null
}

export function ShareMeters({ shares, none }: { shares: readonly Share[]; none: string }) {
  return (
    <ul className="share-meters">
      {shares.map((share) => (
        <li key={share.key} className="share-meters__item" data-key={share.key} data-rate={share.rate ?? ''}>
          <span className="share-meters__label">{share.label}</span>
          <span className="share-meters__value">{share.rate === null ? none : `${(share.rate * 100).toFixed(1)}%`}</span>
          <span className="share-meters__track" aria-hidden="true">
            <span className="share-meters__fill" style={{ width: `${((share.rate ?? 0) * 100).toFixed(1)}%` }} />
          </span>
        </li>
      ))}
    </ul>
  )
}
