// The seed scenario's run, as the specs count it.

/** Steps of the seed run: each of its 297 kernel calls has an entry and a return. */
export const SEED_TOTAL = 594;
