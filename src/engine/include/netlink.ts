// What a netlink request carries besides its payload (include/uapi/linux/netlink.h,
// include/linux/netlink.h): the nlmsghdr flags that say how a "new" request
// treats an existing object, and the answer with its extended ack.

// `ip route|neigh add` sends CREATE|EXCL, `replace` CREATE|REPLACE, `change` REPLACE.
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;

/** struct netlink_ext_ack: the message a handler sets with NL_SET_ERR_MSG, if any. */
export interface NetlinkExtAck {
  msg: string | null;
}

/** A request's answer: 0 or -errno, and the extack message the kernel set, if any. */
export interface RtnlAnswer {
  err: number;
  msg: string | null;
}
