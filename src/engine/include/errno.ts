// errno values the modelled syscalls return, with glibc's strerror() text.
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const ENXIO = 6;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
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
  [ENOTDIR]: 'Not a directory',
  [EISDIR]: 'Is a directory',
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

// Socket-layer errors (include/uapi/asm-generic/errno*.h).
export const EBADF = 9;
export const EMFILE = 24;
export const EPIPE = 32;
export const ENOTSOCK = 88;
export const EDESTADDRREQ = 89;
export const EMSGSIZE = 90;
export const EPROTOTYPE = 91;
export const ENOPROTOOPT = 92;
export const EPROTONOSUPPORT = 93;
export const ESOCKTNOSUPPORT = 94;
export const EAFNOSUPPORT = 97;
export const EADDRINUSE = 98;
export const ENETRESET = 102;
export const ECONNABORTED = 103;
export const ECONNRESET = 104;
export const EISCONN = 106;
export const ETIMEDOUT = 110;
export const ECONNREFUSED = 111;
export const EHOSTDOWN = 112;
export const EALREADY = 114;
export const EINPROGRESS = 115;
export const ENONET = 64;
export const EPROTO = 71;

Object.assign(MESSAGES, {
  [EBADF]: 'Bad file descriptor',
  [EMFILE]: 'Too many open files',
  [EPIPE]: 'Broken pipe',
  [ENOTSOCK]: 'Socket operation on non-socket',
  [EDESTADDRREQ]: 'Destination address required',
  [EMSGSIZE]: 'Message too long',
  [EPROTOTYPE]: 'Protocol wrong type for socket',
  [ENOPROTOOPT]: 'Protocol not available',
  [EPROTONOSUPPORT]: 'Protocol not supported',
  [ESOCKTNOSUPPORT]: 'Socket type not supported',
  [EAFNOSUPPORT]: 'Address family not supported by protocol',
  [EADDRINUSE]: 'Address already in use',
  [ENETRESET]: 'Network dropped connection on reset',
  [ECONNABORTED]: 'Software caused connection abort',
  [ECONNRESET]: 'Connection reset by peer',
  [EISCONN]: 'Transport endpoint is already connected',
  [ETIMEDOUT]: 'Connection timed out',
  [ECONNREFUSED]: 'Connection refused',
  [EHOSTDOWN]: 'Host is down',
  [EALREADY]: 'Operation already in progress',
  [EINPROGRESS]: 'Operation now in progress',
  [ENONET]: 'Machine is not on the network',
  [EPROTO]: 'Protocol error',
});
