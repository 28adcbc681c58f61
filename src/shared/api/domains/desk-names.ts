// The names of ./desk.ts's methods, free of zod for the preload (method-names.ts joins every list).
export const deskNames = [] as const
