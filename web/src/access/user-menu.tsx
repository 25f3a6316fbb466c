/** The signed-in user in the header: name, role and area, and the logout button. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { signOut } from '../api/client.ts'
import { LOGIN_PATH, useMe } from './session.tsx'

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
          {t(`userRoles.${me.role}`)}
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
