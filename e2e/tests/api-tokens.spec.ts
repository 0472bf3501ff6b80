import { ApiTokensPage } from '../pages/api-tokens-page.js';
import { LoginPage } from '../pages/login-page.js';
import { expect, test } from '../support/fixtures.js';

test('a request without a token is refused with 401 problem details', async ({ api }) => {
  const response = await api.whoami();
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  expect(response.headers()['set-cookie'], 'the API never sets a session cookie').toBeUndefined();
  const problem = await response.json();
  expect(problem.status).toBe(401);
});

test('a token created in the UI is shown once and authenticates against the REST API', async ({
  page,
  context,
  baseURL,
  admin,
  api,
}) => {
  // The copy button writes to the clipboard; a headless browser asks nobody, so grant it.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const tokens = new ApiTokensPage(page);
  const name = `ui token ${Date.now().toString(36)}`;
  let plaintext = '';

  await test.step('sign in and create the token', async () => {
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    await tokens.open();
    plaintext = await tokens.createToken(name, '7 days');
  });

  await test.step('the copy button puts the token on the clipboard', async () => {
    await tokens.copyCreatedToken();
    await expect(page.getByText('Token copied to the clipboard.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(plaintext);
    await tokens.closeCreatedDialog();
    await expect(tokens.tokenCell(name)).toBeVisible();
  });

  await test.step('the plaintext is not shown again', async () => {
    await page.reload();
    await expect(tokens.tokenCell(name)).toBeVisible();
    await expect(page.getByText(plaintext)).toHaveCount(0);
  });

  await test.step('the token authenticates /api/v1/auth/whoami', async () => {
    const response = await api.whoami(plaintext);
    expect(response.status(), await response.text()).toBe(200);
    const me = await response.json();
    expect(me.username).toBe(admin.username);
  });

  await test.step('a revoked token is refused', async () => {
    await tokens.revoke(name);
    await expect(tokens.revokeButton(name)).toHaveCount(0);
    await expect(tokens.row(name)).toHaveAccessibleName(new RegExp(`^${name} wr_\\S+ Revoked `));
    const response = await api.whoami(plaintext);
    expect(response.status()).toBe(401);
  });
});
