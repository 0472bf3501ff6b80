import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { AggregationWizardPage } from '../pages/aggregation-wizard-page.js';
import { LoginPage } from '../pages/login-page.js';
import { bearer } from '../support/api.js';
import { expect, test } from '../support/fixtures.js';
import { openView } from '../support/vaadin.js';

function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

function hostNqn(member: number): string {
  return `nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-${String(member).padStart(12, '0')}`;
}

interface Named {
  id: number;
  name: string;
}

async function aggregationNamed(request: APIRequestContext, token: string, name: string): Promise<Named | undefined> {
  const response = await request.get('/api/v1/aggregations?size=500', { headers: bearer(token) });
  expect(response.status()).toBe(200);
  return ((await response.json()).items as Named[]).find((item) => item.name === name);
}

test('the wizard refuses a layout that breaks a rule, in words, creates one that passes, and changes it', async ({
  page,
  admin,
  adminToken,
  request,
}) => {
  // Nine stages through a Vaadin UI on a shared, loaded machine: more than the default minute.
  test.setTimeout(360_000);
  const directory = mkdtempSync(join(tmpdir(), 'windrose-e2e-aggregation-'));
  const pool = uniqueName('flash');
  const name = uniqueName('s2d');
  let poolId: number | undefined;
  const wizard = new AggregationWizardPage(page);

  try {
    await test.step('a directory pool to carve the members drives from', async () => {
      const created = await request.post('/api/v1/pools', {
        headers: bearer(adminToken),
        data: { name: pool, type: 'DIRECTORY', directory, overcommitPercent: 1000 },
      });
      expect(created.status(), await created.text()).toBe(201);
      poolId = (await created.json()).id;
    });

    await test.step('an admin opens the wizard, picks S2D and names two members', async () => {
      const login = new LoginPage(page);
      await login.open();
      await login.signIn(admin);
      await wizard.open();
      await wizard.choosePlatform(name, 'Storage Spaces Direct');
      await wizard.setHostNqn(1, hostNqn(1));
      await wizard.setHostNqn(2, hostNqn(2));
      await wizard.goNext();
    });

    await test.step('three drives per member break a rule: the check says so as it changes', async () => {
      await wizard.setCapacityDrives(3, 1, pool);
      await expect(wizard.ruleChecks).toContainText('node1 has 3 capacity drives; Storage Spaces Direct needs at least 4 per server.');
      await expect(wizard.ruleChecks).toContainText('rules are broken');
      await expect(page.getByRole('gridcell', { name: 'Two-way mirror' })).toBeVisible();
    });

    await test.step('creating it anyway is refused in words, and nothing is made', async () => {
      await wizard.goNext();
      await wizard.create.click();
      await expect(wizard.refusal).toContainText('The layout breaks the rules of Storage Spaces Direct');
      await expect(wizard.refusal).toContainText('needs at least 4 per server');
      expect(await aggregationNamed(request, adminToken, name)).toBeUndefined();
    });

    await test.step('four drives per member pass, and the plan shows the usable capacity', async () => {
      await wizard.goBack();
      await wizard.setCapacityDrives(4, 1, pool);
      await expect(wizard.ruleChecks).toContainText("The layout meets the platform's rules");
      // 8 GiB raw, a reserve of one drive per server (2 GiB): 3 GiB two-way mirrored.
      await expect(page.getByRole('gridcell', { name: '3.0 GiB', exact: true })).toBeVisible();
    });

    await test.step('the aggregation is created and shows each member not yet connected', async () => {
      await wizard.goNext();
      await wizard.create.click();
      await expect(page.getByRole('heading', { name, exact: true, level: 3 })).toBeVisible();
      for (const member of ['node1', 'node2']) {
        await expect(page.getByRole('gridcell', { name: member, exact: true })).toBeVisible();
      }
      await expect(page.getByRole('gridcell', { name: 'No', exact: true })).toHaveCount(2);
      await expect(page.getByRole('gridcell', { name: '4 of 4 served', exact: true })).toHaveCount(2);
      await expect(page.getByRole('link', { name: 'Download Linux configuration for node1' })).toBeVisible();
    });

    await test.step('the members subsystems appear in the subsystems view', async () => {
      await openView(page, '/subsystems');
      for (const member of ['node1', 'node2']) {
        await expect(page.getByRole('link', { name: `nqn.2026-11.dev.windrose:agg.${name}.${member}`, exact: true }))
          .toBeVisible();
      }
    });

    await test.step('a change that takes drives away is refused in words, as the layout changes', async () => {
      const created = await aggregationNamed(request, adminToken, name);
      expect(created).toBeDefined();
      await openView(page, `/aggregations/${created!.id}`);
      await wizard.openChange(name);
      await wizard.addMember(3, hostNqn(3));
      await wizard.goNext();
      await wizard.setCapacityCount(3);
      await expect(wizard.ruleChecks).toContainText('node1 would keep 3 of its 4 capacity drives of 1 GiB');
      await expect(wizard.ruleChecks).toContainText('nothing can be changed until');
    });

    await test.step('a third member, a fifth drive each and 2 GiB drives: the review lists every step, and the change is made', async () => {
      await wizard.setCapacityCount(5);
      await wizard.setCapacitySize(2);
      await expect(wizard.ruleChecks).toContainText("The layout meets the platform's rules");
      await wizard.goNext();
      await expect(wizard.changes).toContainText("Grow 4 of node1's capacity drives from 1 GiB to 2 GiB");
      await expect(wizard.changes).toContainText('Add 1 drive to node1: 1 x 2 GiB capacity.');
      await expect(wizard.changes).toContainText('Add 1 drive to node2: 1 x 2 GiB capacity.');
      await expect(wizard.changes).toContainText(`Add member node3 with 5 drives (10 GiB) and its own subsystem, which admits ${hostNqn(3)} only.`);
      await wizard.change.click();
      await expect(page.getByRole('heading', { name, exact: true, level: 3 })).toBeVisible();
      await expect(page.getByRole('gridcell', { name: 'node3', exact: true })).toBeVisible();
      await expect(page.getByRole('gridcell', { name: '5 of 5 served', exact: true })).toHaveCount(3);
      const changed = await request.get(`/api/v1/aggregations/${(await aggregationNamed(request, adminToken, name))!.id}`,
        { headers: bearer(adminToken) });
      const members = (await changed.json()).members as { name: string; drives: { sizeBytes: number }[] }[];
      expect(members.map((m) => [m.name, m.drives.length])).toEqual([['node1', 5], ['node2', 5], ['node3', 5]]);
      expect(new Set(members.flatMap((m) => m.drives.map((d) => d.sizeBytes)))).toEqual(new Set([2 * 1024 ** 3]));
    });
  } finally {
    const created = await aggregationNamed(request, adminToken, name);
    if (created) await request.delete(`/api/v1/aggregations/${created.id}`, { headers: bearer(adminToken) });
    if (poolId !== undefined) await request.delete(`/api/v1/pools/${poolId}`, { headers: bearer(adminToken) });
    rmSync(directory, { recursive: true, force: true });
  }
});
