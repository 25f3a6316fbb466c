/**
 * The optional alert sound (?sound=1): two short beeps synthesised with WebAudio, so nothing is
 * fetched. Browsers start audio only after a user gesture unless told otherwise; a wall in kiosk
 * mode is started with Chromium's --autoplay-policy=no-user-gesture-required.
 */
let context: AudioContext | null = null

export function playAlertBeep(): void {
  try {
    context ??= new AudioContext()
    void context.resume().catch(() => {})
    const start = context.currentTime + 0.02
    for (const offset of [0, 0.28]) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.type = 'sine'
      oscillator.frequency.value = 880
      gain.gain.setValueAtTime(0.0001, start + offset)
      gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start + offset)
      oscillator.stop(start + offset + 0.22)
    }
  } catch {
    // No audio device or WebAudio unavailable: the card and the pulse still show the alert.
  }
}
