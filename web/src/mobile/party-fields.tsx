/**
 * The people involved in a report: a name, and optionally a mobile number and a resident ID
 * number, each checked as it is typed (party-checks.ts) with the problem said in words under the
 * field. The form refuses to send while one is wrong.
 */
import { useTranslation } from 'react-i18next'
import { findIdNumberProblem, isMobileNumber, normalizeDigits } from './party-checks.ts'

export interface PartyDraft {
  /** Tells the rows apart while one is removed (list key); never sent. */
  key: number
  name: string
  phone: string
  idNumber: string
}

let nextPartyKey = 1

export function createParty(): PartyDraft {
  return { key: nextPartyKey++, name: '', phone: '', idNumber: '' }
}

export interface PartyErrors {
  name?: 'required'
  phone?: 'mobile'
  idNumber?: 'format' | 'birthDate' | 'checkDigit'
}

export function checkParty(party: PartyDraft): PartyErrors {
  const errors: PartyErrors = {}
  if (!party.name.trim() && (party.phone.trim() || party.idNumber.trim())) errors.name = 'required'
  if (party.phone.trim() && !isMobileNumber(party.phone)) errors.phone = 'mobile'
  const id = party.idNumber.trim() ? findIdNumberProblem(party.idNumber) : null
  if (id) errors.idNumber = id
  return errors
}

/** The parties as the API takes them: blank rows dropped, digits without spaces or dashes. */
export function toApiParties(parties: readonly PartyDraft[]) {
  return parties
    .filter((p) => p.name.trim())
    .map((p) => ({
      name: p.name.trim(),
      ...(p.phone.trim() ? { phone: normalizeDigits(p.phone) } : {}),
      ...(p.idNumber.trim() ? { idNumber: normalizeDigits(p.idNumber) } : {}),
    }))
}

export interface PartyFieldsProps {
  parties: readonly PartyDraft[]
  onChange: (parties: PartyDraft[]) => void
  showErrors: boolean
}

export function PartyFields({ parties, onChange, showErrors }: PartyFieldsProps) {
  const { t } = useTranslation()
  const update = (i: number, patch: Partial<PartyDraft>) => onChange(parties.map((p, j) => (j === i ? { ...p, ...patch } : p)))
  return (
    <div className="field-parties">
      {parties.map((party, i) => {
        const errors = checkParty(party)
        // A field shows its problem once it has been left, or when the form is sent.
        const shown = (key: keyof PartyErrors) => (showErrors || party[key].length >= (key === 'name' ? 1 : 11) ? errors[key] : undefined)
        const phoneError = shown('phone')
        const idError = shown('idNumber') as PartyErrors['idNumber']
        const nameError = showErrors ? errors.name : undefined
        return (
          <fieldset key={party.key} className="field-party">
            <legend>{t('mobile.parties.legend', { n: i + 1 })}</legend>
            <label className="field-label">
              <span>{t('mobile.parties.name')}</span>
              <input
                value={party.name}
                maxLength={50}
                autoComplete="off"
                aria-invalid={Boolean(nameError)}
                onChange={(e) => update(i, { name: e.target.value })}
              />
            </label>
            {nameError && <p className="field-error">{t('mobile.parties.nameRequired')}</p>}
            <label className="field-label">
              <span>{t('mobile.parties.phone')}</span>
              <input
                value={party.phone}
                inputMode="tel"
                type="tel"
                maxLength={20}
                autoComplete="off"
                aria-invalid={Boolean(phoneError)}
                onChange={(e) => update(i, { phone: e.target.value })}
              />
            </label>
            {phoneError && <p className="field-error">{t('mobile.parties.phoneInvalid')}</p>}
            <label className="field-label">
              <span>{t('mobile.parties.idNumber')}</span>
              <input
                value={party.idNumber}
                maxLength={22}
                autoComplete="off"
                autoCapitalize="characters"
                aria-invalid={Boolean(idError)}
                onChange={(e) => update(i, { idNumber: e.target.value })}
              />
            </label>
            {idError && <p className="field-error">{t(`mobile.parties.id_${idError}`)}</p>}
            <button type="button" className="field-button field-button--quiet" onClick={() => onChange(parties.filter((_, j) => j !== i))}>
              {t('mobile.parties.remove')}
            </button>
          </fieldset>
        )
      })}
      <button
        type="button"
        className="field-button field-button--secondary"
        onClick={() => onChange([...parties, createParty()])}
        disabled={parties.length >= 20}
      >
        {t('mobile.parties.add')}
      </button>
    </div>
  )
}
