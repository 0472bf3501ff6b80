import { defineConfig } from '@playwright/test';

/**
 * Debian's Chromium (never a browser downloaded by Playwright). Playwright gives every launch a
 * fresh temporary profile (user-data-dir) and adds --headless itself; the flags below keep
 * Chromium from reaching out to the network on its own.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  // The tests share one server whose state (the first administrator) they build on: one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  projects: [
    // Creates the first administrator: everything else needs it.
    { name: 'first-run', testMatch: /first-run\.spec\.ts/ },
    { name: 'console', testIgnore: /first-run\.spec\.ts/, dependencies: ['first-run'] },
  ],
});
