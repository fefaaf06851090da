// compare-trace's similarity: matched lines over all lines, by longest common
// subsequence (2·matches / (|a|+|b|)), 1 for two empty files.
export function similarity(expected: string, actual: string): number {
  const a = expected.split('\n');
  const b = actual.split('\n');
  if (a[a.length - 1] === '') a.pop();
  if (b[b.length - 1] === '') b.pop();
  if (!a.length && !b.length) return 1;
  // LCS by dynamic programming over two rows.
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return (2 * prev[b.length]) / (a.length + b.length);
}
