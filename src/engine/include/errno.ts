// errno values the modelled syscalls return, with glibc's strerror() text.
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const ENXIO = 6;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ERANGE = 34;
export const ENOBUFS = 105;
export const EOPNOTSUPP = 95;
export const EADDRNOTAVAIL = 99;
export const ENETDOWN = 100;
export const ENETUNREACH = 101;
export const EHOSTUNREACH = 113;
export const EAGAIN = 11;
export const EACCES = 13;
export const ENOTCONN = 107;

const MESSAGES: Record<number, string> = {
  [EPERM]: 'Operation not permitted',
  [ENOENT]: 'No such file or directory',
  [ESRCH]: 'No such process',
  [ENXIO]: 'No such device or address',
  [EBUSY]: 'Device or resource busy',
  [EEXIST]: 'File exists',
  [ENODEV]: 'No such device',
  [EINVAL]: 'Invalid argument',
  [ERANGE]: 'Numerical result out of range',
  [ENOBUFS]: 'No buffer space available',
  [EOPNOTSUPP]: 'Operation not supported',
  [EADDRNOTAVAIL]: 'Cannot assign requested address',
  [ENETDOWN]: 'Network is down',
  [ENETUNREACH]: 'Network is unreachable',
  [EHOSTUNREACH]: 'No route to host',
  [EAGAIN]: 'Resource temporarily unavailable',
  [EACCES]: 'Permission denied',
  [ENOTCONN]: 'Transport endpoint is not connected',
};

export function strerror(errno: number): string {
  return MESSAGES[Math.abs(errno)] ?? `Unknown error ${Math.abs(errno)}`;
}
