import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { LoginPage } from '../pages/login-page.js';
import { SubsystemDetailPage } from '../pages/subsystem-detail-page.js';
import { bearer } from '../support/api.js';
import { readFileSync } from 'node:fs';
import { expect, strongPassword, test, uniqueUsername } from '../support/fixtures.js';
import { SERVER_LOG } from '../support/server.js';

async function created(request: APIRequestContext, token: string, path: string, data: object): Promise<{ id: number; allowedHosts: Array<{ id: number }> }> {
  const response = await request.post(path, { headers: bearer(token), data });
  expect(response.status(), `POST ${path}: ${await response.text()}`).toBe(201);
  return response.json();
}

test('an operator sets a DH-HMAC-CHAP secret in the console: shown once, then only "set, since"', async ({
  page,
  context,
  baseURL,
  api,
  adminToken,
  request,
  removeAfterTest,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const operator = { username: uniqueUsername('dhchap-operator'), password: strongPassword() };
  const nqn = `nqn.2026-12.dev.windrose.e2e:dhchap-${randomUUID().slice(0, 8)}`;
  const hostNqn = `nqn.2014-08.org.nvmexpress:uuid:${randomUUID()}`;
  const detail = new SubsystemDetailPage(page);
  let subsystemId = 0;

  try {
    await test.step('an operator, a subsystem and an allowed host exist (over REST)', async () => {
      await api.createUser(adminToken, operator, ['OPERATOR']);
      removeAfterTest(operator.username);
      subsystemId = (await created(request, adminToken, '/api/v1/subsystems', { nqn })).id;
      await created(request, adminToken, `/api/v1/subsystems/${subsystemId}/hosts`, { hostNqn });
    });

    await test.step('the operator opens the subsystem: the host connects without authentication', async () => {
      const login = new LoginPage(page);
      await login.open();
      await login.signIn(operator);
      await detail.open(subsystemId);
      await expect(detail.row(detail.allowedHosts, hostNqn).getByRole('gridcell', { name: 'none', exact: true })).toBeVisible();
      await expect(detail.command('Linux: connect')).not.toHaveValue(/--dhchap/);
    });

    let secret = '';
    await test.step('a mistyped pasted secret is refused with what is wrong', async () => {
      await page.getByRole('button', { name: `Set DH-HMAC-CHAP secret of ${hostNqn}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Set DH-HMAC-CHAP secret' });
      await dialog.getByRole('radio', { name: 'Paste', exact: true }).check();
      await dialog.getByLabel('Host secret (DHHC-1:…)').fill('DHHC-1:00:AAEDAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:');
      await dialog.getByRole('button', { name: 'Set secret' }).click();
      await expect(dialog.locator('.dhchap-refusal')).toContainText('checksum does not match');
      await dialog.getByRole('radio', { name: 'Generate', exact: true }).check();
    });

    await test.step('a generated secret is shown once, copied, and carried by the Connect panel', async () => {
      await page.getByRole('dialog', { name: 'Set DH-HMAC-CHAP secret' }).getByRole('button', { name: 'Set secret' }).click();
      const shown = page.getByRole('dialog', { name: 'DH-HMAC-CHAP secret set' });
      const field = shown.getByRole('textbox', { name: 'Host secret', exact: true });
      await expect(field).toHaveValue(/^DHHC-1:00:[A-Za-z0-9+/]{48}:$/);
      secret = await field.inputValue();
      await expect(shown.getByText('it is not shown again')).toBeVisible();
      await shown.getByRole('button', { name: 'Copy Host secret' }).click();
      await expect(page.getByText('Command copied to the clipboard.')).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await expect(shown.getByRole('textbox', { name: 'Linux: connect with the secret' }))
        .toHaveValue(new RegExp(` -q ${hostNqn.replace(/[.]/g, '\\.')} --dhchap-secret ${secret.replace(/[+/]/g, '\\$&')}$`));
      await shown.getByRole('button', { name: 'Done' }).click();
      await expect(shown).toHaveCount(0);
      await expect(detail.command('Linux: connect')).toHaveValue(new RegExp(`--dhchap-secret ${secret.replace(/[+/]/g, '\\$&')}$`));
      await expect(detail.state(detail.allowedHosts, hostNqn, /^applied$/)).toBeVisible();
    });

    await test.step('opened again, the page says since when and asks for the secret instead of showing it', async () => {
      await detail.open(subsystemId);
      await expect(detail.row(detail.allowedHosts, hostNqn).getByRole('gridcell', { name: /^DH-HMAC-CHAP, set / })).toBeVisible();
      await expect(detail.command('Linux: connect')).toHaveValue(/ --dhchap-secret '<paste the host secret DHHC-1:\.\.\.>'$/);
      await expect(detail.connectPanel.getByText('This host must authenticate')).toBeVisible();
      const answer = await request.get(`/api/v1/subsystems/${subsystemId}`, { headers: bearer(adminToken) });
      const text = await answer.text();
      expect(text).not.toContain(secret);
      expect(text).not.toContain('DHHC-1');
      expect(JSON.parse(text).allowedHosts[0].dhchap.hostSecretSetAt).toBeTruthy();
    });

    await test.step('the server\'s log never held the secret', async () => {
      const log = readFileSync(SERVER_LOG, 'utf8');
      expect(log).toContain('0190 - allowed host dhchap');
      expect(log).not.toContain(secret);
      expect(log).not.toContain('DHHC-1:');
    });
  } finally {
    if (subsystemId) await request.delete(`/api/v1/subsystems/${subsystemId}`, { headers: bearer(adminToken) });
  }
});
