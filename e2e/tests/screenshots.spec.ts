/**
 * Every main page at a laptop's 1440×900 and a small window's 1024×768, as screenshots attached to the
 * report (playwright-report/), with a pool, a volume and an exported subsystem so the pages are not
 * empty. Each page must load without an uncaught error or a console error (the base fixture).
 */
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { LoginPage } from '../pages/login-page.js';
import { bearer } from '../support/api.js';
import { expect, test } from '../support/fixtures.js';
import { freePort } from '../support/server.js';
import { openView } from '../support/vaadin.js';

const MIB = 1024 * 1024;
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];

interface Made {
  poolId?: number;
  volumeId?: number;
  subsystemId?: number;
}

async function post(request: APIRequestContext, token: string, path: string, data: object): Promise<{ id: number }> {
  const response = await request.post(path, { headers: bearer(token), data });
  expect(response.status(), `POST ${path}: ${await response.text()}`).toBe(201);
  return response.json();
}

async function shoot(page: Page, name: string, path: string, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await openView(page, path);
  // The charts and grids lay themselves out after Vaadin is idle: give them a frame or two.
  await page.waitForTimeout(750);
  await test.info().attach(`${name} at ${size.width}x${size.height}`, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
}

test('every main page is photographed at 1440×900 and 1024×768 without a page error', async ({ page, admin, adminToken, request }) => {
  // Thirty pages; on a loaded machine a page can take ten seconds to settle.
  test.setTimeout(600_000);
  const suffix = randomUUID().slice(0, 8);
  const made: Made = {};
  try {
    made.poolId = (await post(request, adminToken, '/api/v1/pools', { name: `shots-${suffix}`, type: 'MEMORY', capacityBytes: 64 * MIB })).id;
    made.volumeId = (await post(request, adminToken, '/api/v1/volumes', { name: `shots-${suffix}`, poolId: made.poolId, sizeBytes: 32 * MIB })).id;
    const nqn = `nqn.2026-11.dev.windrose.e2e:shots-${suffix}`;
    made.subsystemId = (await post(request, adminToken, '/api/v1/subsystems', { nqn })).id;
    await post(request, adminToken, `/api/v1/subsystems/${made.subsystemId}/namespaces`, { volumeId: made.volumeId, nsid: 1 });
    await post(request, adminToken, `/api/v1/subsystems/${made.subsystemId}/listeners`, { address: '127.0.0.1', port: await freePort() });

    const login = new LoginPage(page);
    await login.open();
    await login.signIn(admin);
    const pages: Array<[string, string]> = [
      ['Dashboard', '/'],
      ['Hosts', '/hosts'],
      ['Nodes', '/nodes'],
      ['Disks', '/disks'],
      ['Pools', '/pools'],
      ['Volumes', '/volumes'],
      ['Subsystems', '/subsystems'],
      ['Subsystem', `/subsystems/${made.subsystemId}`],
      ['Aggregations', '/aggregations'],
      ['New aggregation', '/aggregations/new'],
      ['Events', '/events'],
      ['Alert thresholds', '/alert-thresholds'],
      ['Users', '/users'],
      ['Audit log', '/audit'],
      ['API tokens', '/tokens'],
      ['Your account', '/account'],
    ];
    for (const size of SIZES) {
      for (const [name, path] of pages) {
        await test.step(`${name} at ${size.width}×${size.height}`, () => shoot(page, name, path, size));
      }
    }
  } finally {
    if (made.subsystemId) await request.delete(`/api/v1/subsystems/${made.subsystemId}`, { headers: bearer(adminToken) });
    if (made.volumeId) await request.delete(`/api/v1/volumes/${made.volumeId}`, { headers: bearer(adminToken) });
    if (made.poolId) await request.delete(`/api/v1/pools/${made.poolId}`, { headers: bearer(adminToken) });
  }
});
