// Modules the build makes (vite.config.ts's plugins), typed where they are used.

/**
 * The default scenario's run and the shapes of its first picture, computed at
 * build time (scripts/firstRunPlugin.ts); null and none from the dev server.
 */
declare module 'virtual:skbwalk-first-run' {
  export const firstRun: unknown;
  export const skeletons: unknown;
}
