// What a userspace program (ip, ifconfig, sysctl, ping, ...) gets to run with.
import type { World } from '../kernel/world.ts';
import type { Net } from '../include/net.ts';

export interface ToolContext {
  w: World;
  /** The namespace the program runs in (`ip netns exec NS` changes it). */
  net: Net;
  /** Prints one line (without its newline) on standard output. */
  stdout(line: string): void;
  /** Prints one line on standard error. */
  stderr(line: string): void;
  /** Runs another command line in namespace `net` (for `ip netns exec`). Returns its exit status. */
  exec(net: Net, argv: string[]): number;
}

/** A program's entry: argv[0] is the program name. Returns the exit status. */
export type ToolMain = (ctx: ToolContext, argv: string[]) => number;
