import { AuditLogPage } from '../pages/audit-log-page.js';
import { LoginPage } from '../pages/login-page.js';
import { expect, test } from '../support/fixtures.js';

test('the audit log shows sign-ins and failed sign-ins, newest first', async ({ page, admin }) => {
  const login = new LoginPage(page);

  await test.step('a failed and then a successful sign-in', async () => {
    await login.open();
    await login.signIn({ username: admin.username, password: 'not-the-password-at-all' });
    await login.expectError(/incorrect username or password/i);
    await login.signIn(admin);
  });

  await test.step('both are in the audit log, the successful one above the failed one', async () => {
    const audit = new AuditLogPage(page);
    await audit.open();
    const firstLogin = audit.cells().filter({ hasText: /^Login$/ }).first();
    const firstFailure = audit.cells().filter({ hasText: /^Login failed$/ }).first();
    await expect(firstLogin).toBeVisible();
    await expect(firstFailure).toBeVisible();
    const loginBox = await firstLogin.boundingBox();
    const failureBox = await firstFailure.boundingBox();
    expect(loginBox!.y).toBeLessThan(failureBox!.y);
  });
});
