/** Strings of the day field (yyyy-mm-dd whatever the browser's language). */
export const dayInputZhCN = {
  placeholder: '年-月-日',
  pick: '从日历选择{{label}}',
}

export const dayInputEn: typeof dayInputZhCN = {
  placeholder: 'yyyy-mm-dd',
  pick: 'Pick {{label}} from a calendar',
}
