// The names of ./reports.ts's methods, free of zod for the preload (method-names.ts joins every list).
export const reportsNames = ['reports/rule-roi', 'reports/segments', 'reports/churn', 'reports/profit', 'reports/liability', 'reports/export'] as const
