import { FirstRunPage } from '../pages/first-run-page.js';
import { LoginPage } from '../pages/login-page.js';
import { OnboardingPage } from '../pages/onboarding-page.js';
import { OverviewPage } from '../pages/overview-page.js';
import { expect, test } from '../support/fixtures.js';
import { openView, waitForVaadin } from '../support/vaadin.js';

// These run once, in order, against the fresh server: the last one creates the administrator
// every other test signs in as.
test.describe.configure({ mode: 'serial' });

test('every page leads to the first-run page while no administrator exists', async ({ page }) => {
  for (const path of ['/', '/login', '/users']) {
    await test.step(`open ${path}`, async () => {
      await openView(page, path);
      await new FirstRunPage(page).expectShown();
    });
  }
});

test('the REST API explains that the administrator must be created first', async ({ api }) => {
  const response = await api.whoami();
  expect(response.status(), await response.text()).toBe(503);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  const problem = await response.json();
  expect(problem.title).toBe('Set-up required');
  expect(problem.detail).toMatch(/administrator/i);
});

test('a too-weak password is refused with a message that says why', async ({ page, admin }) => {
  const setup = new FirstRunPage(page);
  await setup.open();

  await test.step('a short password is refused', async () => {
    await setup.submit({ username: admin.username, password: 'short' });
    await expect(setup.passwordError()).toContainText(/at least 12/i);
    await setup.expectShown();
  });

  await test.step('a common password is refused', async () => {
    await setup.submit({ username: admin.username, password: 'password1234' });
    await expect(setup.passwordError()).toContainText(/common/i);
    await setup.expectShown();
  });
});

test('the first administrator is created and can sign in', async ({ page, admin }) => {
  const setup = new FirstRunPage(page);
  await setup.open();

  await test.step('create the administrator', async () => {
    await setup.submit(admin);
    await expect(page).not.toHaveURL(/\/setup$/);
  });

  await test.step('sign in with the new credentials', async () => {
    if (/\/login/.test(page.url())) await new LoginPage(page).signIn(admin);
  });

  await test.step('the guided setup is offered; skipping it (onboarding.spec.ts walks it) leads to the overview', async () => {
    const wizard = new OnboardingPage(page);
    await wizard.expectStep(1, 'Cluster');
    await wizard.skip.click();
    await waitForVaadin(page);
    await new OverviewPage(page).expectShown();
  });

  await test.step('the first-run page is not offered any more', async () => {
    await openView(page, '/setup');
    await expect(page).not.toHaveURL(/\/setup$/);
  });
});
