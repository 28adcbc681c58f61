// The screens of the workstation, in navigation order. The hash in the URL (#/players) names the
// current one, so reload and the browser's back button keep the operator where they were.
export const screens = [
  { id: 'dashboard', label: 'Dashboard', description: 'KPIs, segments and reward cost at a glance' },
  { id: 'import', label: 'Import', description: 'Open player spreadsheets and activity files' },
  { id: 'players', label: 'Players', description: 'The whole player base, searchable' },
  { id: 'rules', label: 'Rules', description: 'Reward rules, their versions and formulas' },
  { id: 'segments', label: 'Segments', description: 'Segment thresholds and their effect' },
  { id: 'tiers', label: 'Tiers', description: 'The tier ladder and who is on each step' },
  { id: 'simulation', label: 'Simulation', description: 'What-if runs before anything is issued' },
  { id: 'reports', label: 'Reports', description: 'ROI, liability and exports to Excel' },
  { id: 'review', label: 'Review', description: 'Abuse signals waiting for a decision' },
  { id: 'ledger', label: 'Ledger', description: 'Transfers, verification, payouts and adjustments' },
  { id: 'settings', label: 'Settings', description: 'House edges, caps, budgets, currency' },
  { id: 'about', label: 'About', description: 'Version and database' },
] as const

export type ScreenId = (typeof screens)[number]['id']

export function isScreenId(value: string): value is ScreenId {
  return screens.some((screen) => screen.id === value)
}

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? ''
  return isScreenId(id) ? id : 'dashboard'
}
