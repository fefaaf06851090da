// /proc/sys (fs/proc/proc_sysctl.c): the sysctl tables as a namespace sees
// them, and what a process's open, read, write and readdir of a file there
// do: proc_sys_call_handler hands a write to the entry's proc handler. Only
// net.core and net.ipv4 are modelled.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import { EACCES, EISDIR, ENOENT, ENOTDIR } from '../../include/errno.ts';
import { ctlDir, type CtlDir, type CtlNode } from '../../kernel/sysctl.ts';
import { netcore_sysctl_dir, netcore_sysctl_visible } from '../../net/core/sysctl_net_core.ts';
import { ipv4_sysctl_dir } from '../../net/ipv4/sysctl_net_ipv4.ts';

function procSysRoot(w: World, net: Net): CtlDir {
  return ctlDir(() => [
    [
      'net',
      () =>
        ctlDir(() => {
          const l: [string, () => CtlNode][] = [];
          if (netcore_sysctl_visible(w, net)) l.push(['core', () => netcore_sysctl_dir(w)]);
          l.push(['ipv4', () => ipv4_sysctl_dir(w, net)]);
          return l;
        }),
    ],
  ]);
}

/** The entry at `parts` below /proc/sys (proc_sys_lookup, component by component), or null. */
function lookup(w: World, net: Net, parts: string[]): CtlNode | null {
  let node: CtlNode = procSysRoot(w, net);
  for (const p of parts) {
    if (node.kind !== 'dir') return null;
    const next: CtlNode | null = node.child(p);
    if (!next) return null;
    node = next;
  }
  return node;
}

/** stat(): 'file', 'dir', or -ENOENT. */
export function proc_sys_stat(w: World, net: Net, parts: string[]): 'file' | 'dir' | number {
  const node = lookup(w, net, parts);
  return node ? node.kind : -ENOENT;
}

/** open() and read() of a file: its text (without the newline the file ends with), or -errno. */
export function proc_sys_read(w: World, net: Net, parts: string[]): string | number {
  const node = lookup(w, net, parts);
  if (!node) return -ENOENT;
  if (node.kind === 'dir') return -EISDIR;
  if (node.writeOnly) return -EACCES;
  return node.read();
}

/** open() and write(): the entry's proc handler takes the text; 0 or -errno. */
export function proc_sys_write(w: World, net: Net, parts: string[], text: string): number {
  const node = lookup(w, net, parts);
  if (!node) return -ENOENT;
  if (node.kind === 'dir') return -EISDIR;
  const err = node.write(text);
  return err ? -err : 0;
}

/** getdents() of a directory: its entries' names, or -errno. */
export function proc_sys_readdir(w: World, net: Net, parts: string[]): string[] | number {
  const node = lookup(w, net, parts);
  if (!node) return -ENOENT;
  if (node.kind !== 'dir') return -ENOTDIR;
  return node.children();
}
