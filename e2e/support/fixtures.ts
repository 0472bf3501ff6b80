/**
 * The test fixtures: the server's address (from the global setup), the administrator's
 * credentials, a REST client, an admin API token issued over REST for the test and revoked after
 * it, and a register of users a test creates so that exactly those are removed afterwards. On top of
 * the base in page-problems.ts: every test fails on an uncaught page error or a console error.
 */
import { test as base, expect } from './page-problems.js';
import { WindroseApi, type Credentials } from './api.js';

export const ADMIN_USERNAME = 'admin';

interface WindroseFixtures {
  admin: Credentials;
  api: WindroseApi;
  adminToken: string;
  /** Call with a username a test creates (in the UI or over REST); it is deleted after the test. */
  removeAfterTest: (username: string) => void;
}

export const test = base.extend<WindroseFixtures>({
  baseURL: async ({}, use) => {
    await use(requireEnv('WINDROSE_BASE_URL'));
  },

  admin: async ({}, use) => {
    await use({ username: ADMIN_USERNAME, password: requireEnv('WINDROSE_E2E_ADMIN_PASSWORD') });
  },

  // Every page fails its test if the browser refused anything under the console's Content-Security-Policy
  // (Chromium reports each refusal as a console message naming the policy).
  page: async ({ page }, use) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await use(page);
    expect(violations, 'Content-Security-Policy violations in the browser console').toEqual([]);
  },

  api: async ({ request }, use) => {
    await use(new WindroseApi(request));
  },

  adminToken: async ({ api, admin }, use, testInfo) => {
    const issued = await api.issueToken(admin, `e2e fixture ${testInfo.testId}`);
    await use(issued.token);
    await api.revokeOwnTokenNamed(issued.token, issued.name);
  },

  removeAfterTest: async ({ api, admin }, use, testInfo) => {
    const created: string[] = [];
    await use((username) => created.push(username));
    if (created.length === 0) return;
    const cleanup = await api.issueToken(admin, `e2e cleanup ${testInfo.testId}`);
    try {
      for (const username of created) await api.deleteUser(cleanup.token, username);
    } finally {
      await api.revokeOwnTokenNamed(cleanup.token, cleanup.name);
    }
  },
});

export { expect };

/** A password the policy accepts, different for every call. */
export function strongPassword(): string {
  return `Pass-phrase-${Date.now().toString(36)}-${Math.floor(Math.random() * 46656).toString(36)}`;
}

/** A user name no other test (or earlier run) uses. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` so the global setup starts Windrose`);
  return value;
}
