import { AccountPage } from '../pages/account-page.js';
import { LoginPage } from '../pages/login-page.js';
import { MainLayout } from '../pages/main-layout.js';
import { OverviewPage } from '../pages/overview-page.js';
import { expect, strongPassword, test, uniqueUsername } from '../support/fixtures.js';

test('a user changes their own password and signs in with the new one', async ({
  page,
  api,
  adminToken,
  removeAfterTest,
}) => {
  const user = { username: uniqueUsername('oscar'), password: strongPassword() };
  await api.createUser(adminToken, user, ['OPERATOR']);
  removeAfterTest(user.username);
  const login = new LoginPage(page);
  const layout = new MainLayout(page);
  const account = new AccountPage(page);
  const replacement = strongPassword();

  await test.step('sign in and open the account page from the user menu', async () => {
    await login.open();
    await login.signIn(user);
    await new OverviewPage(page).expectShown();
    await layout.openAccount();
    await account.expectShown();
    await expect(page.getByText(`Signed in as ${user.username}, with the roles Operator.`)).toBeVisible();
  });

  await test.step('a wrong current password is refused and changes nothing', async () => {
    await account.changePassword('not-my-current-password', replacement);
    await expect(account.errorOf(account.current)).toHaveText('The current password is not correct.');
  });

  await test.step('a weak new password is refused with the reason', async () => {
    await account.changePassword(user.password, 'short');
    await expect(account.errorOf(account.replacement)).toContainText('use at least 12');
  });

  await test.step('the password is changed', async () => {
    await account.changePassword(user.password, replacement);
    await expect(page.getByText('Password changed.', { exact: false })).toBeVisible();
  });

  await test.step('the old password no longer signs in, the new one does', async () => {
    await layout.signOut();
    await login.signIn(user);
    await login.expectError(/incorrect username or password/i);
    await login.signIn({ username: user.username, password: replacement });
    await new OverviewPage(page).expectShown();
  });
});
