import type { APIRequestContext } from '@playwright/test';
import { DisksPage } from '../pages/disks-page.js';
import { HostsPage } from '../pages/hosts-page.js';
import { LoginPage } from '../pages/login-page.js';
import { PoolsPage } from '../pages/pools-page.js';
import { VolumesPage } from '../pages/volumes-page.js';
import { bearer } from '../support/api.js';
import { expect, test } from '../support/fixtures.js';

function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

interface Named {
  id: number;
  name: string;
}

/** Finds an item by name in a paged storage listing (the first 500 are plenty for a test server). */
async function findByName(request: APIRequestContext, token: string, path: string, name: string): Promise<Named | undefined> {
  const response = await request.get(`${path}?size=500`, { headers: bearer(token) });
  expect(response.status(), `list ${path}`).toBe(200);
  const page: { items: Named[] } = await response.json();
  return page.items.find((item) => item.name === name);
}

/** Removes what the test created and is still there, children first. */
async function removeLeftovers(request: APIRequestContext, token: string, volume: string, pool: string, disk: string) {
  for (const [path, name] of [['/api/v1/volumes', volume], ['/api/v1/pools', pool], ['/api/v1/disks', disk]]) {
    const found = await findByName(request, token, path, name);
    if (found) await request.delete(`${path}/${found.id}`, { headers: bearer(token) });
  }
}

test('an admin builds a lab disk, a disk pool and a volume, and can take them down only in order', async ({
  page,
  admin,
  adminToken,
  request,
}) => {
  // A long flow through four views: under load it reached its last step at the default 60 s.
  test.setTimeout(180_000);
  const disk = uniqueName('lab');
  const pool = uniqueName('pool');
  const volume = uniqueName('vol');
  const disks = new DisksPage(page);
  const pools = new PoolsPage(page);
  const volumes = new VolumesPage(page);

  try {
    await test.step('the admin signs in and sees this host online', async () => {
      const login = new LoginPage(page);
      await login.open();
      await login.signIn(admin);
      const hosts = new HostsPage(page);
      await hosts.open();
      await hosts.expectLocalHostOnline();
    });

    await test.step('a lab disk is created in the disks view and marked as a lab disk', async () => {
      await disks.open();
      await disks.createLabDisk(disk, 256);
      await expect(disks.labDiskCell(disk)).toBeVisible();
      const created = await findByName(request, adminToken, '/api/v1/disks', disk);
      expect(created, 'the lab disk is in the REST API too').toBeDefined();
    });

    await test.step('a disk the system uses cannot be chosen for a pool; the lab disk can', async () => {
      await pools.open();
      await pools.openCreateDialog(pool);
      const listing = await request.get('/api/v1/disks?kind=BLOCK&size=500', { headers: bearer(adminToken) });
      const blockDisks: Array<{ name: string; inUseReason: string | null; present: boolean }> = (await listing.json()).items;
      const inUse = blockDisks.find((candidate) => candidate.present && candidate.inUseReason !== null);
      // This machine's root disk is always in use; a machine without block devices has nothing to refuse.
      test.skip(inUse === undefined, 'no in-use block device on this machine');
      await expect(pools.diskChoice(inUse!.name)).toBeDisabled();
      await expect(pools.diskChoice(inUse!.name)).toHaveAccessibleName(/In use: /);
      await expect(pools.createButton).toBeDisabled();
      await pools.diskChoice(disk).check();
      await expect(pools.createButton).toBeEnabled();
      await pools.create();
      await expect(page.getByRole('gridcell', { name: pool, exact: true })).toBeVisible();
      await expect(pools.capacityBar(pool)).toBeVisible();
    });

    await test.step('a volume is created in the new pool', async () => {
      await volumes.open();
      await volumes.createVolume(volume, pool, 64);
      await expect(volumes.cell(volume)).toBeVisible();
      // Size and used: a volume in a disk pool is thick, its extent is all taken at once.
      await expect(volumes.cell('64 MiB')).toHaveCount(2);
    });

    await test.step('the pool cannot go while it has a volume, and the console says which', async () => {
      await pools.open();
      await pools.deletePool(pool);
      await expect(page.getByText(new RegExp(`still has 1 volume\\(s\\): ${volume}`))).toBeVisible();
      await expect(page.getByRole('gridcell', { name: pool, exact: true })).toBeVisible();
    });

    await test.step('volume, pool and lab disk are deleted in that order', async () => {
      await volumes.open();
      await volumes.deleteVolume(volume);
      await expect(volumes.cell(volume)).toHaveCount(0);
      await pools.open();
      await pools.deletePool(pool);
      await expect(page.getByRole('gridcell', { name: pool, exact: true })).toHaveCount(0);
      await disks.open();
      await disks.deleteLabDisk(disk);
      await expect(disks.labDiskCell(disk)).toHaveCount(0);
      expect(await findByName(request, adminToken, '/api/v1/disks', disk)).toBeUndefined();
    });
  } finally {
    await removeLeftovers(request, adminToken, volume, pool, disk);
  }
});
