// API methods for the Rules, Segments, Tiers and Review screens. Their names are listed, free of zod, in ./desk-names.ts.
// Build each entry with method() from ../method, as contract.ts does.
export const deskContract = {} as const
