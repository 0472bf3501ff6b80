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

/**
 * On a machine shared by several builds every step can take several times longer: this factor
 * stretches the test, expect and action timeouts (never what a test asserts).
 */
const SLOW = Math.max(1, Number(process.env.WINDROSE_E2E_TIMEOUT_FACTOR ?? 1));

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  // The tests share one server whose state (the first administrator) they build on: one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000 * SLOW,
  expect: { timeout: 10_000 * SLOW },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    actionTimeout: 10_000 * SLOW,
    navigationTimeout: 30_000 * SLOW,
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
