// The tab's title: where the reader is ("Step 12/75"), in which scenario, in skbwalk.

/** Scenario titles are often a sentence: the tab keeps the first words. */
const MAX_TITLE = 48;

export function documentTitle(step: number | null, total: number | null, scenarioTitle: string): string {
  const parts: string[] = [];
  if (step !== null && total !== null) parts.push(`Step ${step}/${total}`);
  const t = scenarioTitle.trim();
  if (t) parts.push(t.length > MAX_TITLE ? `${t.slice(0, MAX_TITLE - 1).trimEnd()}…` : t);
  return parts.length ? `${parts.join(' · ')} — skbwalk` : 'skbwalk';
}
