import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Builds dist/ once, so that tests which start the CLI run JavaScript, not a TypeScript compile per start.
    globalSetup: ['test/global-setup.ts'],
  },
});
