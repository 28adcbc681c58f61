export const segmentNames = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
export type Segment = (typeof segmentNames)[number]
