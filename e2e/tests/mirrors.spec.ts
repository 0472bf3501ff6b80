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

  await test.step('node maintenance waits for a node to be chosen before it can start or end', async () => {
    await expect(page.getByRole('heading', { name: 'Node maintenance' })).toBeVisible();
    await expect(page.getByText('Choose a node to see what its maintenance would cause.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start maintenance' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'End maintenance' })).toBeDisabled();
  });

  await test.step('asking for one says why it cannot be made here', async () => {
    await page.getByRole('button', { name: 'New mirrored volume' }).click();
    const dialog = page.getByRole('dialog', { name: 'New mirrored volume' });
    await dialog.getByLabel('Name').fill(`mirror-${suffix}`);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByText('Choose a pool for each leg and a size.')).toBeVisible();
  });

  await test.step('REST previews and ends a maintenance that moves nothing on a node without mirrors', async () => {
    const nodes = await request.get('/api/v1/cluster/nodes', { headers });
    const local = (await nodes.json()).find((n: { local: boolean }) => n.local);
    const plan = await request.get(`/api/v1/mirrored-volumes/maintenance/${local.id}`, { headers });
    expect(plan.status()).toBe(200);
    expect(await plan.json()).toMatchObject({ handOver: [], loseRedundancy: [], cannotMove: [], movedAway: [] });
    const end = await request.delete(`/api/v1/mirrored-volumes/maintenance/${local.id}`, { headers });
    expect(end.status()).toBe(200);
    expect(await end.json()).toMatchObject({ handedBack: [], waiting: [] });
  });

  await test.step('REST refuses it with 409 and the same words', async () => {
    const answer = await request.post('/api/v1/mirrored-volumes', { headers, data: { name: `m-${suffix}`, sizeBytes: 1048576, poolA: 1, poolB: 2 } });
    expect(answer.status()).toBe(409);
    expect((await answer.json()).detail).toContain("Mirrored volumes need the cluster's PostgreSQL");
  });
});
