/**
 * The Mirrored volumes page of a single-node console (issue 16): it says what a mirror is and where its
 * witness must run, and a mirror asked for without PostgreSQL is refused in words inside the dialog.
 * The two-node behaviour (failover under a real host's I/O) is e2e/ha/ha-e2e.sh's.
 */
import { randomUUID } from 'node:crypto';
import { LoginPage } from '../pages/login-page.js';
import { expect, test } from '../support/fixtures.js';
import { bearer } from '../support/api.js';
import { openView } from '../support/vaadin.js';

test('a single-node console explains mirrors and refuses one without the PostgreSQL witness, in the dialog', async ({ page, admin, adminToken, request }) => {
  const suffix = randomUUID().slice(0, 8);
  const headers = bearer(adminToken);

  await test.step('the page names the witness and where it must run', async () => {
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    await openView(page, '/mirrors');
    await expect(page.getByText('PostgreSQL is the witness')).toBeVisible();
    await expect(page.getByRole('button', { name: 'New mirrored volume' })).toBeVisible();
  });

  await test.step('asking for one says why it cannot be made here', async () => {
    await page.getByRole('button', { name: 'New mirrored volume' }).click();
    const dialog = page.getByRole('dialog', { name: 'New mirrored volume' });
    await dialog.getByLabel('Name').fill(`mirror-${suffix}`);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByText('Choose a pool for each leg and a size.')).toBeVisible();
  });

  await test.step('REST refuses it with 409 and the same words', async () => {
    const answer = await request.post('/api/v1/mirrored-volumes', { headers, data: { name: `m-${suffix}`, sizeBytes: 1048576, poolA: 1, poolB: 2 } });
    expect(answer.status()).toBe(409);
    expect((await answer.json()).detail).toContain("Mirrored volumes need the cluster's PostgreSQL");
  });
});
