// The registry of kernel functions the engine models. Every step of a run is a
// call to one of these; each carries the kernel source file it lives in (for an
// elixir v6.18 link) and a one-line summary in our own words.

/**
 * How a function's return value reads in the kernel's terms (see retval.ts);
 * 'void' for functions that return nothing.
 */
export type ReturnKind =
  | 'void'
  | 'int'
  | 'errno'
  | 'net_rx'
  | 'net_xmit'
  | 'netdev_tx'
  | 'drop_reason'
  | 'skb'
  | 'neighbour'
  | 'route'
  | 'fib'
  | 'rtn_type'
  | 'be16_proto'
  | 'rx_handler'
  | 'defrag';

export interface KernelFunction {
  id: number;
  name: string;
  /** Path in the Linux source tree, e.g. "drivers/net/veth.c". */
  file: string;
  summary: string;
  returns: ReturnKind;
}

export const KERNEL_FUNCTIONS: KernelFunction[] = [];

export const ELIXIR_BASE = 'https://elixir.bootlin.com/linux/v6.18/source/';

/** Registers a modelled kernel function and returns its id. */
export function kfn(name: string, file: string, summary: string, returns: ReturnKind = 'void'): number {
  const id = KERNEL_FUNCTIONS.length;
  KERNEL_FUNCTIONS.push({ id, name, file, summary, returns });
  return id;
}

export function elixirUrl(fn: KernelFunction): string {
  return `${ELIXIR_BASE}${fn.file}`;
}

/** The ids of the modelled functions with these names (for countedSince's `keep`). */
export function functionIds(...names: string[]): number[] {
  return KERNEL_FUNCTIONS.filter((f) => names.includes(f.name)).map((f) => f.id);
}
