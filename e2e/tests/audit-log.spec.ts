import { AuditLogPage } from '../pages/audit-log-page.js';
import { LoginPage } from '../pages/login-page.js';
import { expect, test, uniqueUsername } from '../support/fixtures.js';

test('the audit log shows a failed and a successful sign-in, newest first', async ({ page, admin }) => {
  const login = new LoginPage(page);
  // A name nobody has, so this test's failed attempt is told apart from every other entry.
  const stranger = uniqueUsername('nobody');

  await test.step('a failed sign-in, then a successful one', async () => {
    await login.open();
    await login.signIn({ username: stranger, password: 'not-the-password-at-all' });
    await login.expectError(/incorrect username or password/i);
    await login.signIn(admin);
  });

  await test.step('the sign-in is the newest entry, the failed attempt just below it', async () => {
    const audit = new AuditLogPage(page);
    await audit.open();
    await expect(audit.row(0)).toHaveAccessibleName(new RegExp(`^\\S+ \\S+ \\S+ Login ${admin.username} `));
    await expect(audit.row(1)).toHaveAccessibleName(new RegExp(`Login failed ${stranger} `));
  });
});
