import { describe, expect, it } from 'vitest';
import { LOADABLE_PROGRAMS, loaded_program, programsNamed } from './programs.ts';

describe('the programs a script names', () => {
  it('finds nc and ss wherever they are a word: a command, after a pipe, after ip netns exec, in the background', () => {
    expect(programsNamed('ip netns exec b nc -l 8080 &\nsleep 1\necho hello | nc -N 10.0.0.2 8080\n')).toEqual(['nc']);
    expect(programsNamed('ss -tan')).toEqual(['ss']);
    expect(programsNamed('ip netns exec a ss -lnt;nc -z 10.0.0.1 80')).toEqual(['nc', 'ss']);
    expect(programsNamed('x=1;"nc" -l 80')).toEqual(['nc']);
  });

  it('does not take a longer word or a name inside one for the program', () => {
    expect(programsNamed('ip link add vnc0 type veth peer name ss1\nip netns add ncat\nping -c 1 10.0.0.1')).toEqual([]);
    expect(programsNamed('ip addr add 10.0.0.1/24 dev nc.1\nsysctl -w net.ipv4.ss-x=1')).toEqual([]);
  });

  it('hands the shell every loadable program once its module is loaded (here: the tests load them all)', () => {
    expect(LOADABLE_PROGRAMS).toEqual(['nc', 'ss']);
    expect(typeof loaded_program('nc').ncStart).toBe('function');
    expect(typeof loaded_program('ss').ss_main).toBe('function');
  });
});
