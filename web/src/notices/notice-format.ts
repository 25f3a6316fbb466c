/** Times and durations of notices as people read them: China Standard Time, minutes and seconds. */
const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})

export function formatTime(iso: string): string {
  return TIME.format(new Date(iso))
}

/** "95 s" below two minutes, else whole minutes. */
export function formatSeconds(seconds: number, t: (key: string, options: { value: string }) => string): string {
  return seconds < 120
    ? t('notices.detail.seconds', { value: String(Math.round(seconds)) })
    : t('notices.detail.minutes', { value: String(Math.round(seconds / 60)) })
}
