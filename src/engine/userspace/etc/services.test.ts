// getservbyport reads the whole of netbase's /etc/services: the first name of
// a port/protocol pair, none for a port the file does not list.
import { describe, expect, it } from 'vitest';
import { getservbyport } from './services.ts';

describe('getservbyport', () => {
  it('names ports as /etc/services of netbase 6.4 does, per protocol', () => {
    const ask: [number, 'tcp' | 'udp'][] = [
      [7000, 'tcp'],
      [7000, 'udp'],
      [6000, 'tcp'],
      [9418, 'tcp'],
      [2049, 'udp'],
      [5432, 'tcp'],
      [8080, 'tcp'],
      [5000, 'tcp'],
      [22, 'udp'],
      [1, 'tcp'],
    ];
    expect(ask.map(([port, proto]) => getservbyport(port, proto) ?? null)).toEqual([
      'bbs',
      'afs3-fileserver',
      'x11',
      'git',
      'nfs',
      'postgresql',
      'http-alt',
      null,
      null,
      'tcpmux',
    ]);
  });
});
