// The wall clock a capture is stamped with. A run's time is virtual (ns since
// the run started); pcap records and tcpdump lines need a date, so every run
// starts at the same fixed instant and two runs of one scenario give the same
// bytes and the same text.

/** 2024-01-01T00:00:00Z, in seconds since the Unix epoch. */
export const CAPTURE_BASE_EPOCH = 1704067200;

export interface CaptureTime {
  sec: number;
  usec: number;
}

/** Virtual ns since the start -> (seconds since the epoch, microseconds), truncating as the kernel does. */
export function captureTime(ns: number): CaptureTime {
  const us = Math.max(0, Math.floor(ns / 1000));
  return { sec: CAPTURE_BASE_EPOCH + Math.floor(us / 1e6), usec: us % 1e6 };
}

/** tcpdump's `HH:MM:SS.uuuuuu` for a virtual time (UTC: the simulated host's zone). */
export function tcpdumpTimestamp(ns: number): string {
  const { sec, usec } = captureTime(ns);
  const day = sec % 86400;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(day / 3600))}:${two(Math.floor((day % 3600) / 60))}:${two(day % 60)}.${String(usec).padStart(6, '0')}`;
}
