import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { LoginPage } from '../pages/login-page.js';
import { SubsystemDetailPage } from '../pages/subsystem-detail-page.js';
import { SubsystemsPage } from '../pages/subsystems-page.js';
import { bearer } from '../support/api.js';
import { expect, strongPassword, test, uniqueUsername } from '../support/fixtures.js';
import { freePort } from '../support/server.js';
import { findOrBuildWrBench, runWrBench } from '../support/wr-bench.js';

const MIB = 1024 * 1024;

interface Created {
  poolId?: number;
  volumeId?: number;
  subsystemNqn?: string;
}

async function post(request: APIRequestContext, token: string, path: string, data: object): Promise<{ id: number }> {
  const response = await request.post(path, { headers: bearer(token), data });
  expect(response.status(), `POST ${path}: ${await response.text()}`).toBe(201);
  return response.json();
}

/** Removes what the test created, children first: subsystem (frees the volume), volume, pool. */
async function removeCreated(request: APIRequestContext, token: string, created: Created): Promise<void> {
  if (created.subsystemNqn) {
    const list = await request.get('/api/v1/subsystems', { headers: bearer(token) });
    const subsystems: Array<{ id: number; nqn: string }> = await list.json();
    const mine = subsystems.find((s) => s.nqn === created.subsystemNqn);
    if (mine) await request.delete(`/api/v1/subsystems/${mine.id}`, { headers: bearer(token) });
  }
  if (created.volumeId) await request.delete(`/api/v1/volumes/${created.volumeId}`, { headers: bearer(token) });
  if (created.poolId) await request.delete(`/api/v1/pools/${created.poolId}`, { headers: bearer(token) });
}

/** A socket held open by this test: a port that is certainly taken by another program. */
async function holdPort(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => listening());
  });
  return server;
}

test('an operator exports a volume in the console and a host connected by wr-bench shows up live', async ({
  page,
  context,
  browser,
  baseURL,
  api,
  adminToken,
  request,
  removeAfterTest,
}) => {
  // A 10 s load and two live refreshes on a loaded machine: more than the default minute.
  test.setTimeout(240_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const wrBench = findOrBuildWrBench();
  const operator = { username: uniqueUsername('fabric-operator'), password: strongPassword() };
  const viewer = { username: uniqueUsername('fabric-viewer'), password: strongPassword() };
  const suffix = randomUUID().slice(0, 8);
  const nqn = `nqn.2026-11.dev.windrose.e2e:${suffix}`;
  const hostNqn = `nqn.2014-08.org.nvmexpress:uuid:${randomUUID()}`;
  const volumeName = `export-${suffix}`;
  const subsystems = new SubsystemsPage(page);
  const detail = new SubsystemDetailPage(page);
  const created: Created = {};
  let port = 0;

  try {
    await test.step('an operator and a viewer exist; a memory pool and a volume are made over REST', async () => {
      await api.createUser(adminToken, operator, ['OPERATOR']);
      removeAfterTest(operator.username);
      await api.createUser(adminToken, viewer, ['VIEWER']);
      removeAfterTest(viewer.username);
      created.poolId = (await post(request, adminToken, '/api/v1/pools',
        { name: `ram-${suffix}`, type: 'MEMORY', capacityBytes: 32 * MIB })).id;
      created.volumeId = (await post(request, adminToken, '/api/v1/volumes',
        { name: volumeName, poolId: created.poolId, sizeBytes: 16 * MIB })).id;
    });

    await test.step('the operator signs in; a malformed NQN is refused as it is typed', async () => {
      const login = new LoginPage(page);
      await login.open();
      await login.signIn(operator);
      await subsystems.open();
      await subsystems.openCreateDialog();
      await subsystems.typeNqn('iqn.2026-11.dev.windrose:not-nvme');
      await expect(subsystems.dialog.getByText(/is not an NQN/)).toBeVisible();
      await expect(subsystems.createButton).toBeDisabled();
    });

    await test.step('the subsystem is created with a valid NQN and its page opens', async () => {
      await subsystems.typeNqn(nqn);
      await expect(subsystems.dialog.getByText(/is not an NQN/)).toHaveCount(0);
      await expect(subsystems.createButton).toBeEnabled();
      await subsystems.create();
      created.subsystemNqn = nqn;
      await expect(page.getByRole('heading', { name: nqn })).toBeVisible();
    });

    await test.step('the volume is attached as namespace 1 and applied', async () => {
      await detail.attach(volumeName);
      await expect(detail.row(detail.namespaces, volumeName)).toBeVisible();
      await expect(detail.state(detail.namespaces, volumeName, /^applied$/)).toBeVisible();
      const [nsid, volume, backing, , anaGroup] = await detail.rowTexts(detail.namespaces, volumeName);
      expect([nsid, volume, backing, anaGroup]).toEqual(['1', volumeName, 'ram', '1']);
    });

    await test.step('a TCP listener on 127.0.0.1 and a free port is added; the same port again is refused', async () => {
      port = await freePort();
      await detail.typeListener('127.0.0.1', port);
      await detail.submitListener();
      await expect(detail.listenerDialog).toHaveCount(0);
      await expect(detail.state(detail.listeners, String(port), /^applied$/)).toBeVisible();
      const [transport, family, address, shownPort, anaState] = await detail.rowTexts(detail.listeners, String(port));
      expect([transport, family, address, shownPort, anaState]).toEqual(['tcp', 'IPv4', '127.0.0.1', String(port), 'optimized']);
      await detail.typeListener('127.0.0.1', port);
      await detail.submitListener();
      await expect(detail.listenerDialog.getByText(`already listens on 127.0.0.1:${port}`)).toBeVisible();
      await detail.listenerDialog.getByRole('button', { name: 'Cancel' }).click();
      // The next step opens the dialog again: wait until this one has really closed.
      await expect(detail.listenerDialog.getByRole('textbox', { name: 'Address' })).toBeHidden();
    });

    await test.step('a port another program holds is not served, and the console says why', async () => {
      const takenPort = await freePort();
      const holder = await holdPort(takenPort);
      try {
        await detail.typeListener('127.0.0.1', takenPort);
        await detail.submitListener();
        // Refused at once, or stored and then reported failed by the reconciler: words either way.
        const refused = detail.listenerDialog.getByText(/in use/i);
        const failedRow = detail.state(detail.listeners, String(takenPort), /^failed.*in use/i);
        await expect(refused.or(failedRow)).toBeVisible();
        if (await detail.listenerDialog.getByRole('button', { name: 'Cancel' }).isVisible()) {
          await detail.listenerDialog.getByRole('button', { name: 'Cancel' }).click();
          await expect(detail.listenerDialog.getByRole('textbox', { name: 'Address' })).toBeHidden();
        } else {
          await page.getByRole('button', { name: `Remove listener 127.0.0.1:${takenPort}` }).click();
          await expect(detail.row(detail.listeners, String(takenPort))).toHaveCount(0);
        }
      } finally {
        await new Promise((closed) => holder.close(closed));
      }
    });

    await test.step('a malformed host NQN is refused as it is typed; a valid one is allowed', async () => {
      await detail.typeHostNqn('nqn.2014-08.org.nvmexpress:uuid:not-a-uuid');
      await expect(detail.hostDialog.getByText(/is not one\.|is not an NQN/)).toBeVisible();
      await expect(detail.hostAllowButton).toBeDisabled();
      await detail.typeHostNqn(hostNqn);
      await expect(detail.hostAllowButton).toBeEnabled();
      await detail.submitHost();
      await expect(detail.hostDialog).toHaveCount(0);
      await expect(detail.state(detail.allowedHosts, hostNqn, /^applied$/)).toBeVisible();
    });

    await test.step('the Connect panel shows the Linux and ESXi commands for the allowed host', async () => {
      const linuxConnect = `nvme connect -t tcp -a 127.0.0.1 -s ${port} -n ${nqn} -q ${hostNqn}`;
      await expect(detail.command('Linux: connect')).toHaveValue(linuxConnect);
      await expect(detail.command('Linux: discover')).toHaveValue(
        new RegExp(`^nvme discover -t tcp -a 127\\.0\\.0\\.1 -s \\d+ -q ${hostNqn.replace(/[.]/g, '\\.')}$`));
      await expect(detail.command('ESXi: discover')).toHaveValue(/^esxcli nvme fabrics discover -a vmhba\d+ -i 127\.0\.0\.1 -p \d+$/);
      await expect(detail.command('ESXi: connect')).toHaveValue(
        `esxcli nvme fabrics connect -a vmhba65 -i 127.0.0.1 -p ${port} -s ${nqn}`);
      await detail.copyButton('Linux: connect').click();
      await expect(page.getByText('Command copied to the clipboard.')).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(linuxConnect);
    });

    await test.step('a host that is not allowed is refused by the target and never listed', async () => {
      const stranger = await runWrBench(wrBench, { address: '127.0.0.1', port, subsystemNqn: nqn,
        hostNqn: `nqn.2014-08.org.nvmexpress:uuid:${randomUUID()}`, seconds: 1 }).finished;
      expect(stranger.code, stranger.output).not.toBe(0);
      expect(stranger.output).toContain('cannot connect');
      await expect(detail.connections.getByRole('gridcell', { name: 'Nobody is connected.' })).toBeVisible();
    });

    await test.step('wr-bench connects as the allowed host: the connection shows up live, then goes', async () => {
      // Set in the page: still there afterwards means the page was never reloaded.
      await page.evaluate(() => ((window as unknown as { fabricMarker: string }).fabricMarker = 'no reload'));
      const load = runWrBench(wrBench, { address: '127.0.0.1', port, subsystemNqn: nqn, hostNqn, seconds: 10, queues: 2 });
      try {
        const row = detail.row(detail.connections, hostNqn);
        await expect(row).toBeVisible({ timeout: 15_000 });
        const [host, from, since, queues] = await detail.rowTexts(detail.connections, hostNqn);
        expect(host).toBe(hostNqn);
        expect(from).toMatch(/^127\.0\.0\.1(:\d+)?$/);
        expect(since).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(queues).toBe('2');
      } finally {
        const result = await load.finished;
        expect(result.code, result.output).toBe(0);
        expect(result.output).toMatch(/IOPS/);
      }
      await expect(detail.row(detail.connections, hostNqn)).toHaveCount(0, { timeout: 15_000 });
      await expect(detail.connections.getByRole('gridcell', { name: 'Nobody is connected.' })).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { fabricMarker?: string }).fabricMarker)).toBe('no reload');
    });

    await test.step('a viewer sees the subsystem and its commands but no button that changes anything', async () => {
      const viewerContext = await browser.newContext();
      const viewerPage = await viewerContext.newPage();
      try {
        const login = new LoginPage(viewerPage);
        await login.open();
        await login.signIn(viewer);
        const viewerList = new SubsystemsPage(viewerPage);
        await viewerList.open();
        await expect(viewerList.link(nqn)).toBeVisible();
        await expect(viewerList.newSubsystem).toHaveCount(0);
        await viewerList.link(nqn).click();
        const viewerDetail = new SubsystemDetailPage(viewerPage);
        await expect(viewerDetail.row(viewerDetail.namespaces, volumeName)).toBeVisible();
        await expect(viewerDetail.row(viewerDetail.allowedHosts, hostNqn)).toBeVisible();
        for (const button of [viewerDetail.attachVolume, viewerDetail.addListener, viewerDetail.allowHost,
          viewerDetail.deleteSubsystem]) {
          await expect(button).toHaveCount(0);
        }
        await expect(viewerPage.getByRole('button', { name: /^(Detach namespace|Remove listener|Disallow host)/ }))
          .toHaveCount(0);
        await expect(viewerPage.locator('vaadin-checkbox[readonly]', { hasText: 'Allow any host to connect' })).toHaveCount(1);
        await expect(viewerDetail.command('Linux: connect')).toHaveValue(new RegExp(`-n ${nqn.replace(/[.]/g, '\\.')} `));
      } finally {
        await viewerContext.close();
      }
    });
  } finally {
    await removeCreated(request, adminToken, created);
  }
});
