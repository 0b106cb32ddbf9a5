/** What a CLI command writes to, and exit codes. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Colour the text output (a TTY). */
  color?: boolean;
}

export const EXIT = { reachable: 0, blocked: 1, unknown: 2, usage: 64, unavailable: 69, internal: 70 } as const;
