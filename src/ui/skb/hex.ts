// An skb's buffer arrives from the engine as hex text; the panel and the
// tokens' descriptions read its bytes.

/** The bytes of hex text (two digits a byte). */
export function hexToBytes(hex: string): Uint8Array {
  const n = hex.length >> 1;
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = parseInt(hex.substr(i * 2, 2), 16);
  return b;
}
