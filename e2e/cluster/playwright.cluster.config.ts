import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

/**
 * The console check of cluster-e2e.sh: the same browser and timeouts as the console specs, but no server
 * of its own: the script started three nodes and names node-1 in WINDROSE_BASE_URL and the administrator's
 * password in WINDROSE_E2E_ADMIN_PASSWORD.
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: /cluster-console\.spec\.ts/,
  globalSetup: undefined,
  outputDir: '../test-results/cluster',
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../playwright-report/cluster' }]],
  projects: [{ name: 'cluster' }],
});
