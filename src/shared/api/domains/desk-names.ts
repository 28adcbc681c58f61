// The names of ./desk.ts's methods, free of zod for the preload (method-names.ts joins every list).
export const deskNames = [
  'rules/list',
  'rules/get',
  'rules/save',
  'rules/set-status',
  'rules/check-formula',
  'rules/test',
  'segments/get',
  'segments/preview',
  'segments/save',
  'tiers/get',
  'tiers/save',
  'review/list',
  'review/decide',
] as const
