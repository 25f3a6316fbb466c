/** The login page (/login): username and password, the server's refusal shown in words. */
import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, signIn, type Me } from '../api/client.ts'
import { LanguageSwitch } from '../panels/language-switch.tsx'

export interface LoginPageProps {
  onSignedIn: (me: Me) => void
  /** A wall display link whose token was refused. */
  wallFailed?: boolean
}

export function LoginPage({ onSignedIn, wallFailed }: LoginPageProps) {
  const { t } = useTranslation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const login = useMutation({ mutationFn: () => signIn(username.trim(), password), onSuccess: onSignedIn })
  const status = login.error instanceof ApiError ? login.error.problem.status : null
  const error = login.error
    ? status === 401
      ? t('login.wrong')
      : status === 429
        ? t('login.tooMany')
        : t('login.failed')
    : wallFailed
      ? t('login.wallRevoked')
      : null
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (username.trim() && password) login.mutate()
  }
  return (
    <main className="login-page">
      <div className="login-page__language">
        <LanguageSwitch />
      </div>
      <form className="panel login-form" onSubmit={submit} aria-labelledby="login-title">
        <div className="panel__eyebrow">{t('app.subtitle')}</div>
        <h1 id="login-title" className="login-form__title">
          {t('login.title')}
        </h1>
        <label className="login-form__field">
          <span>{t('login.username')}</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={64} />
        </label>
        <label className="login-form__field">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            maxLength={200}
          />
        </label>
        {error && (
          <p className="login-form__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button login-form__submit" disabled={login.isPending}>
          {login.isPending ? t('login.working') : t('login.submit')}
        </button>
        <p className="login-form__note">{t('login.note')}</p>
      </form>
    </main>
  )
}
