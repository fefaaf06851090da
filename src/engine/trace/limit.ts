// A run's budgets (steps, simulated time, the event log) end it with an
// exception thrown from wherever the limit was passed; run.ts unwinds the
// call stack and ends the run there, saying which limit it was.

export class RunLimitReached extends Error {
  /** `message` is what the user reads (the terminal and the app's alert). */
  constructor(message: string) {
    super(message);
  }
}

/** A typed array's next capacity: double, but never past the limit (and at least one more). */
export function nextCapacity(current: number, limit: number): number {
  return Math.max(current + 1, Math.min(current * 2, limit));
}

export function mib(bytes: number): string {
  const m = bytes / 2 ** 20;
  return Number.isInteger(m) ? `${m} MiB` : `${m.toFixed(1)} MiB`;
}
