// Browser storage for the specs: the guided tour marked as seen, so that a
// first visit in a spec goes straight to the explorer (explain.spec.ts tests
// the tour itself, starting from empty storage).
export const E2E_PORT = Number(process.env.SKBWALK_E2E_PORT ?? 4174);
export const E2E_ORIGIN = `http://127.0.0.1:${E2E_PORT}`;

export const TOUR_SEEN = {
  cookies: [],
  origins: [{ origin: E2E_ORIGIN, localStorage: [{ name: 'skbwalk.tour', value: 'done' }] }],
};

export const EMPTY_STORAGE = { cookies: [], origins: [] };
