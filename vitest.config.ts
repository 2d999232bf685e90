import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Builds dist/ once, so that tests which start the CLI run JavaScript, not a TypeScript compile per start.
    globalSetup: ['test/global-setup.ts'],
    // Both cores: vitest's default leaves one free, and many files wait on a subprocess or a lock
    // rather than compute (the suite took 290 s on one worker on an idle 2-core machine).
    maxWorkers: 2,
  },
});
