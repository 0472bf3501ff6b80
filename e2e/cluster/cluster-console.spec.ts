import { test, expect } from '../support/fixtures.js';
import { LoginPage } from '../pages/login-page.js';
import { openView } from '../support/vaadin.js';

const NODES = ['node-1', 'node-2', 'node-3'];

test('node-1 shows all three nodes live on its dashboard and lists them on its Nodes page', async ({ page, admin }) => {
  await test.step('sign in on node-1', async () => {
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
  });

  await test.step('the dashboard shows each node with a live sample and its running dataplane', async () => {
    await openView(page, '/');
    for (const name of NODES) {
      const box = page.getByRole('group', { name: `Node ${name}` });
      await expect(box).toHaveAttribute('data-live', 'true');
      await expect(box).toContainText('Dataplane running');
      await expect(box).toContainText('IOPS');
      await expect(box).toContainText('Heartbeat');
    }
    await expect(page.getByRole('group', { name: 'Node node-1' })).toContainText('node-1 (this node)');
    await expect(page.getByRole('group', { name: 'Node node-2' })).toContainText(/arrived after \d+ ms/);
    await expect(page.locator('#nodes-summary')).toContainText('3 nodes, 3 online');
  });

  await test.step('the Nodes page lists the three nodes online with their dataplanes running', async () => {
    await openView(page, '/nodes');
    for (const name of NODES) {
      await expect(page.getByRole('gridcell', { name: new RegExp(`^${name}( \\(this node\\))?$`) })).toBeVisible();
    }
    await expect(page.getByRole('gridcell', { name: 'Online', exact: true })).toHaveCount(3);
    await expect(page.getByRole('gridcell', { name: 'Running', exact: true })).toHaveCount(3);
    await expect(page.getByRole('textbox', { name: 'Command to run on the new server' }))
      .toHaveValue(/SPRING_PROFILES_ACTIVE=postgres WINDROSE_DB_URL=.*\.\/run\.sh$/);
  });
});
