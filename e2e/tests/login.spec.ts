import { LoginPage } from '../pages/login-page.js';
import { MainLayout } from '../pages/main-layout.js';
import { OverviewPage } from '../pages/overview-page.js';
import { expect, test } from '../support/fixtures.js';
import { waitForVaadin } from '../support/vaadin.js';

test('a wrong password shows a clear message and does not sign in', async ({ page, admin }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn({ username: admin.username, password: `${admin.password}-wrong` });

  await login.expectError(/incorrect username or password/i);
  await expect(page).toHaveURL(/\/login/);
});

test('an administrator signs in, sees the overview and signs out', async ({ page, admin }) => {
  const login = new LoginPage(page);
  const layout = new MainLayout(page);
  const overview = new OverviewPage(page);

  await test.step('sign in', async () => {
    await login.open();
    await login.signIn(admin);
    await overview.expectShown();
    await layout.expectSignedInAs(admin.username);
  });

  await test.step('the overview shows real facts', async () => {
    await expect(overview.signedInUser).toHaveText(admin.username);
    await expect(overview.roles).toContainText('Admin');
    await expect(overview.dataplaneVersion).toHaveText(/^\d+\.\d+\.\d+/);
    // The e2e server's target listens on a free port (see support/server.ts) with one reactor.
    await expect(overview.targetState).toHaveText('Running');
    await expect(overview.discoveryListener).toHaveText(/^127\.0\.0\.1:[1-9]\d*$/);
    await expect(overview.reactorThreads).toHaveText('1');
  });

  await test.step('an administrator sees every view in the navigation', async () => {
    for (const view of ['Dashboard', 'Users', 'API tokens', 'Audit log']) {
      await expect(layout.navLink(view)).toBeVisible();
    }
  });

  await test.step('a page that does not exist says so inside the console', async () => {
    await page.goto('/no-such-page');
    await waitForVaadin(page);
    await expect(page.getByRole('heading', { name: 'This page is not available' })).toBeVisible();
    await expect(layout.navLink('Dashboard')).toBeVisible();
  });

  await test.step('sign out', async () => {
    await layout.signOut();
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });
});
