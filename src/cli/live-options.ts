/** Flags shared by the live commands (kept apart from live.ts, which loads the AWS SDK). */
export const LIVE_OPTIONS = {
  config: { type: 'string' },
  account: { type: 'string', multiple: true },
  region: { type: 'string', multiple: true },
  as: { type: 'string' },
} as const;
