import { LoginPage } from '../pages/login-page.js';
import { MainLayout } from '../pages/main-layout.js';
import { OverviewPage } from '../pages/overview-page.js';
import { UsersPage } from '../pages/users-page.js';
import { expect, strongPassword, test, uniqueUsername } from '../support/fixtures.js';
import { openView } from '../support/vaadin.js';

const VIEWER_PASSWORD = 'Viewer-passphrase-2026';

test('an admin creates a viewer, who is refused the users view and the admin REST endpoints', async ({
  browser,
  page,
  admin,
  api,
  removeAfterTest,
}) => {
  const viewer = { username: uniqueUsername('viewer'), password: VIEWER_PASSWORD };

  await test.step('the admin creates a viewer in the users view', async () => {
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    const users = new UsersPage(page);
    await users.open();
    await users.expectShown();
    await users.createUser(viewer.username, viewer.password, ['Viewer']);
    removeAfterTest(viewer.username);
    await users.expectListed(viewer.username);
    await expect(users.rolesOf(viewer.username)).toHaveText('Viewer');
  });

  // A separate browser context: the viewer's own session, no cookie shared with the admin.
  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  try {
    await test.step('the viewer signs in and sees no admin view in the navigation', async () => {
      const login = new LoginPage(viewerPage);
      await login.open();
      await login.signIn(viewer);
      await new OverviewPage(viewerPage).expectShown();
      const layout = new MainLayout(viewerPage);
      await expect(layout.navLink('API tokens')).toBeVisible();
      await expect(layout.navLink('Users')).toHaveCount(0);
      await expect(layout.navLink('Audit log')).toHaveCount(0);
    });

    await test.step('the viewer is refused the users view', async () => {
      await openView(viewerPage, '/users');
      await expect(viewerPage.getByRole('button', { name: 'New user' })).toHaveCount(0);
      await expect(viewerPage.getByRole('heading', { name: 'This page is not available' })).toBeVisible();
      await expect(viewerPage.getByText(/your roles do not allow you to open it/)).toBeVisible();
    });
  } finally {
    await viewerContext.close();
  }

  await test.step('the viewer gets 403 problem details from an admin endpoint', async () => {
    const issued = await api.issueToken(viewer, 'e2e viewer token');
    const response = await api.listUsers(issued.token);
    expect(response.status()).toBe(403);
    expect(response.headers()['content-type']).toContain('application/problem+json');
    const whoami = await api.whoami(issued.token);
    expect(whoami.status()).toBe(200);
  });
});

test('a user name that is already taken is refused with a message', async ({ page, admin, removeAfterTest }) => {
  const username = uniqueUsername('operator');
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(admin);
  const users = new UsersPage(page);
  await users.open();

  await users.createUser(username, VIEWER_PASSWORD, ['Operator']);
  removeAfterTest(username);
  await users.expectListed(username);

  await users.createUser(username, VIEWER_PASSWORD, ['Operator']);
  // The dialog stays open, with the refusal under the username.
  await expect(users.dialog.getByText(`The username '${username}' is already taken.`)).toBeVisible();
  await expect(users.dialog.getByLabel('Username')).toHaveValue(username);
});

test('an admin sets a new password for a user, who signs in with it', async ({
  browser,
  page,
  admin,
  api,
  adminToken,
  removeAfterTest,
}) => {
  const user = { username: uniqueUsername('forgetful'), password: strongPassword() };
  await api.createUser(adminToken, user, ['VIEWER']);
  removeAfterTest(user.username);
  const replacement = strongPassword();

  await test.step('the admin sets the new password in the users view', async () => {
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    const users = new UsersPage(page);
    await users.open();
    await users.setPassword(user.username, replacement);
  });

  const userContext = await browser.newContext();
  try {
    await test.step('the user signs in with the new password', async () => {
      const userPage = await userContext.newPage();
      const login = new LoginPage(userPage);
      await login.open();
      await login.signIn({ username: user.username, password: replacement });
      await new OverviewPage(userPage).expectShown();
    });
  } finally {
    await userContext.close();
  }
});

test('roles are changed in the users view, but the last administrator keeps the admin role', async ({
  page,
  admin,
  api,
  adminToken,
  removeAfterTest,
}) => {
  const user = { username: uniqueUsername('promoted'), password: strongPassword() };
  await api.createUser(adminToken, user, ['VIEWER']);
  removeAfterTest(user.username);
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(admin);
  const users = new UsersPage(page);
  await users.open();

  await test.step('a viewer becomes an operator', async () => {
    const dialog = await users.changeRoles(user.username, ['Operator']);
    await expect(dialog).toHaveCount(0);
    await expect(users.rolesOf(user.username)).toHaveText('Operator');
  });

  await test.step('the only administrator cannot give up the admin role', async () => {
    const dialog = await users.changeRoles(admin.username, ['Viewer']);
    await expect(dialog.getByText(`'${admin.username}' is the last enabled administrator`)).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(users.rolesOf(admin.username)).toHaveText('Admin');
  });

  await test.step('nor be disabled or deleted: the buttons are not offered', async () => {
    await expect(page.getByRole('button', { name: `Disable ${admin.username}`, exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: `Delete ${admin.username}`, exact: true })).toBeDisabled();
  });
});
