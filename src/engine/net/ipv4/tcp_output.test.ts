// The bytes TCP's options take on the wire and the windows a connection
// starts with, against what Linux 6.18 sent in the kernel records
// (tcp-netns-hello: the SYN, the SYN-ACK and the first ACK).
import { describe, expect, it } from 'vitest';
import { tcp_options_bytes, tcp_select_initial_window, tcp_win_from_space, TCP_DEFAULT_SCALING_RATIO } from './tcp_output.ts';

const hex = (b: number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join('');

describe('tcp_options_bytes', () => {
  it("writes a SYN's options as the kernel does: MSS, SACK-permitted folded into the timestamps, NOP + window scale", () => {
    // The record's SYN: 0204 05b4 0402 080a <tsval> <tsecr=0> 0103 030a
    const b = tcp_options_bytes({ mss: 1460, wscale: 10, sackOk: true, ts: true, tsval: 0x08f36bc5, tsecr: 0 });
    expect(hex(b)).toBe('020405b40402080a08f36bc5000000000103030a');
  });
  it('writes the SYN-ACK with the echoed timestamp', () => {
    const b = tcp_options_bytes({ mss: 1460, wscale: 10, sackOk: true, ts: true, tsval: 0x18afd5d6, tsecr: 0x08f36bc5 });
    expect(hex(b)).toBe('020405b40402080a18afd5d608f36bc50103030a');
  });
  it("writes an established segment's timestamps after two NOPs", () => {
    expect(hex(tcp_options_bytes({ mss: 0, wscale: -1, sackOk: false, ts: true, tsval: 0x08f36bc5, tsecr: 0x18afd5d6 }))).toBe(
      '0101080a08f36bc518afd5d6',
    );
  });
  it('pads SACK-permitted with NOPs when there are no timestamps, and leaves out what was not agreed', () => {
    expect(hex(tcp_options_bytes({ mss: 1460, wscale: -1, sackOk: true, ts: false, tsval: 0, tsecr: 0 }))).toBe(
      '020405b401010402',
    );
    expect(hex(tcp_options_bytes({ mss: 536, wscale: 7, sackOk: false, ts: false, tsval: 0, tsecr: 0 }))).toBe(
      '0204021801030307',
    );
    expect(tcp_options_bytes({ mss: 0, wscale: -1, sackOk: false, ts: false, tsval: 0, tsecr: 0 })).toEqual([]);
  });
});

describe('tcp_select_initial_window', () => {
  // A new socket's receive buffer is tcp_rmem[1] = 131072 bytes, half of it window at the default ratio.
  const space = tcp_win_from_space(TCP_DEFAULT_SCALING_RATIO, 131072);
  it('is half the default receive buffer', () => {
    expect(space).toBe(65536);
  });
  it("gives the SYN's window: whole MSS-sized segments (64240 = 44 x 1460), scale 10 for tcp_rmem[2] = 32 MiB", () => {
    expect(tcp_select_initial_window(space, 1460, 0, true, 33554432)).toEqual({
      rcvWnd: 64240,
      windowClamp: 65535 * 2 ** 10,
      rcvWscale: 10,
    });
  });
  it("gives the SYN-ACK's window: segments less the timestamps (65160 = 45 x 1448)", () => {
    expect(tcp_select_initial_window(space, 1448, 0, true, 33554432).rcvWnd).toBe(65160);
  });
  it('scales by nothing without window scaling, and follows a smaller MSS', () => {
    expect(tcp_select_initial_window(space, 1460, 0, false, 33554432)).toEqual({
      rcvWnd: 64240,
      windowClamp: 65535,
      rcvWscale: 0,
    });
    expect(tcp_select_initial_window(space, 1360, 0, true, 33554432).rcvWnd).toBe(65280);
  });
});
