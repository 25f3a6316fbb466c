/** The signed-in user in the header: name, role and area, and the logout button. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { signOut } from '../api/client.ts'
import type { Me } from '../api/client.ts'
import { levelOfCode } from '../grid/codes.ts'
import { LOGIN_PATH, useMe } from './session.tsx'

/** A commander of a city or the province is that level's command centre, not a district's. */
function roleKey(role: Me['role'], scope: string): `userRoles.${Me['role'] | 'commanderCity' | 'commanderProvince'}` {
  if (role === 'commander' && levelOfCode(scope) === -1) return 'userRoles.commanderProvince'
  if (role === 'commander' && levelOfCode(scope) === 0) return 'userRoles.commanderCity'
  return `userRoles.${role}`
}

export function UserMenu() {
  const { t } = useTranslation()
  const me = useMe()
  const [leaving, setLeaving] = useState(false)
  const logout = async () => {
    setLeaving(true)
    await signOut().catch(() => {})
    // A full load: nothing of this session's data stays in memory.
    window.location.assign(LOGIN_PATH)
  }
  return (
    <div className="user-menu" data-testid="user-menu">
      <div className="user-menu__who">
        <span className="user-menu__name">{me.name}</span>
        <span className="user-menu__role">
          {t(roleKey(me.role, me.scope))}
          {me.scopeName ? ` · ${me.scopeName}` : ''}
        </span>
      </div>
      {me.kind === 'user' && (
        <button type="button" className="button user-menu__logout" onClick={() => void logout()} disabled={leaving}>
          {t('login.logout')}
        </button>
      )}
    </div>
  )
}
