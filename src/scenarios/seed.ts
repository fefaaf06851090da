// The seed's script on its own, for code and tests that want just the default scenario.
export { DEFAULT_SCENARIO as SEED_SCENARIO } from './index.ts';
