/**
 * The console at a tablet's 820 px: the side navigation does not take a fifth of the width; it opens
 * over the page from the toggle and closes again. At a laptop's width it stays beside the page.
 */
import { randomUUID } from 'node:crypto';
import { LoginPage } from '../pages/login-page.js';
import { MainLayout } from '../pages/main-layout.js';
import { expect, test } from '../support/fixtures.js';
import { bearer } from '../support/api.js';
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

test('at 1024 px beside the navigation the Pools and Volumes grids keep every action button on screen and cut long names', async ({ page, admin, adminToken, request }) => {
  const suffix = randomUUID().slice(0, 8);
  const headers = bearer(adminToken);
  const pool = await (await request.post('/api/v1/pools', { headers, data: { name: `wide-${suffix}`, type: 'MEMORY', capacityBytes: 64 * 1024 * 1024 } })).json();
  const volume = await (await request.post('/api/v1/volumes', { headers, data: { name: `wide-${suffix}`, poolId: pool.id, sizeBytes: 8 * 1024 * 1024 } })).json();
  // The longest name there may be, without a space to wrap at.
  const longName = `long-${suffix}-`.padEnd(64, 'x');
  const long = await (await request.post('/api/v1/volumes', { headers, data: { name: longName, poolId: pool.id, sizeBytes: 8 * 1024 * 1024 } })).json();
  try {
    await page.setViewportSize({ width: 1024, height: 768 });
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    await expect(new MainLayout(page).navigation).toBeVisible();
    for (const [path, name] of [
      ['/pools', `Delete pool wide-${suffix}`],
      ['/volumes', `Grow volume wide-${suffix}`],
      ['/volumes', `Delete volume wide-${suffix}`],
      ['/volumes', `Delete volume ${longName}`],
    ]) {
      await openView(page, path);
      const button = page.getByRole('button', { name, exact: true });
      await expect(button).toBeVisible();
      const box = await button.boundingBox();
      expect((box?.x ?? 9999) + (box?.width ?? 0), `${name} ends inside the 1024 px window`).toBeLessThanOrEqual(1024);
    }
    await test.step('a 64-character volume name keeps to one line, cut with an ellipsis, whole in its tooltip', async () => {
      const name = page.locator('vaadin-grid-cell-content span.truncated', { hasText: longName });
      await expect(name).toBeVisible();
      const fits = await name.evaluate((span) => ({
        cut: span.scrollWidth > span.clientWidth,
        lines: Math.round(span.getBoundingClientRect().height
          / (parseFloat(getComputedStyle(span).lineHeight) || parseFloat(getComputedStyle(span).fontSize) * 1.625)),
        overflow: getComputedStyle(span).textOverflow,
      }));
      expect(fits).toEqual({ cut: true, lines: 1, overflow: 'ellipsis' });
      await name.hover();
      await expect(page.getByRole('tooltip')).toContainText(longName);
    });
  } finally {
    await request.delete(`/api/v1/volumes/${long.id}`, { headers });
    await request.delete(`/api/v1/volumes/${volume.id}`, { headers });
    await request.delete(`/api/v1/pools/${pool.id}`, { headers });
  }
});
