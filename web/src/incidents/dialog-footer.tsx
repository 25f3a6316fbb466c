/**
 * The end of a case dialog (an action, a merge): the server's refusal when there is one, then
 * the confirm button (the form's submit) and the cancel button, so every dialog shows its error
 * in the same place and confirms and cancels the same way.
 */
export function DialogFooter(props: { error: string | null; confirm: string; cancel: string; disabled: boolean; onCancel: () => void }) {
  return (
    <>
      {props.error && (
        <p className="incident-drawer__error" role="alert">
          {props.error}
        </p>
      )}
      <div className="action-dialog__buttons">
        <button type="submit" className="button action-dialog__confirm" disabled={props.disabled}>
          {props.confirm}
        </button>
        <button type="button" className="button action-dialog__cancel" onClick={props.onCancel}>
          {props.cancel}
        </button>
      </div>
    </>
  )
}
