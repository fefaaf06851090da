// net.core's sysctls (net/core/sysctl_net_core.c). netdev_max_backlog,
// dev_weight, netdev_budget and netdev_budget_usecs exist in init_net only;
// scenarios run in other namespaces, where reading or writing them fails with
// ENOENT, as on the real machine. netcore_sysctl_visible is the one switch.
import type { World } from '../../kernel/world.ts';
import type { Net } from '../../include/net.ts';
import { ctlDir, ctlIntFile, proc_dointvec, proc_dointvec_minmax, type CtlDir } from '../../kernel/sysctl.ts';

/** Is net.core.{netdev_max_backlog,dev_weight,netdev_budget,netdev_budget_usecs} visible? Not outside init_net. */
export function netcore_sysctl_visible(_w: World, _net: Net): boolean {
  return false;
}

/** net.core's device-processing knobs (the init_net-only part of sysctl_net_core.c). */
export function netcore_sysctl_dir(w: World): CtlDir {
  const c = w.core;
  return ctlDir(() => [
    [
      'dev_weight',
      () =>
        ctlIntFile(
          () => c.dev_weight,
          (t) => proc_dointvec(t, (v) => (c.dev_weight = v)),
        ),
    ],
    [
      'netdev_budget',
      () =>
        ctlIntFile(
          () => c.netdev_budget,
          (t) => proc_dointvec(t, (v) => (c.netdev_budget = v)),
        ),
    ],
    [
      'netdev_budget_usecs',
      () =>
        ctlIntFile(
          () => c.netdev_budget_usecs,
          (t) => proc_dointvec_minmax(t, 0, 2147483647, (v) => (c.netdev_budget_usecs = v)),
        ),
    ],
    [
      'netdev_max_backlog',
      () =>
        ctlIntFile(
          () => c.netdev_max_backlog,
          (t) => proc_dointvec(t, (v) => (c.netdev_max_backlog = v)),
        ),
    ],
  ]);
}
