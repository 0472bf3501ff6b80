/**
 * The console at a tablet's 820 px: the side navigation does not take a fifth of the width; it opens
 * over the page from the toggle and closes again. At a laptop's width it stays beside the page.
 */
import { LoginPage } from '../pages/login-page.js';
import { MainLayout } from '../pages/main-layout.js';
import { expect, test } from '../support/fixtures.js';
import { openView } from '../support/vaadin.js';

test('at 820 px the navigation opens over the page from the toggle; at 1280 px it stays beside it', async ({ page, admin }) => {
  const layout = new MainLayout(page);
  const toggle = page.getByRole('button', { name: 'Show or hide the navigation' });

  await test.step('sign in at 820×1180', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    await openView(page, '/volumes');
  });

  await test.step('the navigation is closed and the page has the whole width', async () => {
    await expect(layout.navigation).toBeHidden();
    const grid = page.locator('vaadin-grid').first();
    const box = await grid.boundingBox();
    expect(box?.x ?? 999, 'the grid starts at the left edge, not beside a drawer').toBeLessThan(100);
  });

  await test.step('the toggle opens it over the page; choosing a view closes it', async () => {
    await toggle.click();
    await expect(layout.navigation).toBeVisible();
    await layout.navigateTo('Pools');
    await expect(page).toHaveURL(/\/pools$/);
    await expect(layout.navigation).toBeHidden();
  });

  await test.step('at 1280 px the navigation stays beside the page', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(layout.navigation).toBeVisible();
  });
});
