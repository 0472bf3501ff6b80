import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { AlertThresholdsPage } from '../pages/alert-thresholds-page.js';
import { EventsPage } from '../pages/events-page.js';
import { LoginPage } from '../pages/login-page.js';
import { NamespaceStatsPage } from '../pages/namespace-stats-page.js';
import { LINE_COLORS, ObjectCharts } from '../pages/object-charts.js';
import { SubsystemDetailPage } from '../pages/subsystem-detail-page.js';
import { OverviewPage } from '../pages/overview-page.js';
import { bearer } from '../support/api.js';
import { expect, test } from '../support/fixtures.js';
import { freePort } from '../support/server.js';
import { findOrBuildWrBench, runWrBench, type BenchRun } from '../support/wr-bench.js';

const MIB = 1024 * 1024;
/**
 * Longer than the whole flow (which also visits the subsystem's page): the stream and the alert must
 * still see I/O, the alert even when it is cleared by the raised bound. The test stops it at the end.
 */
const LOAD_SECONDS = 240;

interface Created {
  poolId?: number;
  laterPoolId?: number;
  volumeId?: number;
  subsystemId?: number;
}

interface Thresholds {
  poolWarningPercent: number;
  poolCriticalPercent: number;
  latencyP99Micros: number | null;
  queuePairErrorsPerMinute: number | null;
  hostHeartbeat: boolean;
  diskHealth: boolean;
  reconciliationErrors: boolean;
}

interface Sample {
  timestamp: string;
  namespaces: Array<{ subsystemNqn: string; nsid: number; rates: { readIops: number; latency: { p99Micros: number } | null } }>;
}

async function post(request: APIRequestContext, token: string, path: string, data: object): Promise<{ id: number }> {
  const response = await request.post(path, { headers: bearer(token), data });
  expect(response.status(), `POST ${path}: ${await response.text()}`).toBe(201);
  return response.json();
}

async function putThresholds(request: APIRequestContext, token: string, thresholds: Thresholds): Promise<void> {
  const response = await request.put('/api/v1/alert-thresholds', { headers: bearer(token), data: thresholds });
  expect(response.status(), `PUT /api/v1/alert-thresholds: ${await response.text()}`).toBe(200);
}

async function removeCreated(request: APIRequestContext, token: string, created: Created): Promise<void> {
  if (created.subsystemId) await request.delete(`/api/v1/subsystems/${created.subsystemId}`, { headers: bearer(token) });
  if (created.volumeId) await request.delete(`/api/v1/volumes/${created.volumeId}`, { headers: bearer(token) });
  if (created.poolId) await request.delete(`/api/v1/pools/${created.poolId}`, { headers: bearer(token) });
  if (created.laterPoolId) await request.delete(`/api/v1/pools/${created.laterPoolId}`, { headers: bearer(token) });
}

/** One line of the Prometheus text format: a metric name, its labels and its value. */
interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text exposition format; a line that is neither a comment nor a sample fails the test. */
function parsePrometheus(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    expect(match, `a Prometheus sample line: ${line}`).not.toBeNull();
    const [, name, labelText, valueText] = match!;
    const labels: Record<string, string> = {};
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
    let consumed = 0;
    for (let label = labelPattern.exec(labelText ?? ''); label; label = labelPattern.exec(labelText ?? '')) {
      labels[label[1]] = label[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      consumed = labelPattern.lastIndex;
    }
    expect(consumed, `every label of: ${line}`).toBe((labelText ?? '').length);
    const value = Number(valueText.replace(/^\+Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
    expect(Number.isNaN(value) && valueText !== 'NaN', `a number in: ${line}`).toBe(false);
    samples.push({ name, labels, value });
  }
  return samples;
}

/** Reads Server-Sent Events from an open response until `count` "sample" events came (or the time ran out). */
async function readSamples(body: ReadableStream<Uint8Array>, count: number): Promise<Sample[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const samples: Sample[] = [];
  let buffered = '';
  try {
    while (samples.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.search(/\r?\n\r?\n/)) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end).replace(/^\r?\n\r?\n/, '');
        const lines = event.split(/\r?\n/);
        if (!lines.includes('event:sample')) continue;
        const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5)).join('\n');
        samples.push(JSON.parse(data));
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return samples;
}

/**
 * The IOPS chart draws its read line and the latency chart its p50 line on the canvas: the element's
 * data alone (ObjectCharts.state) passed while a throwing axis formatter left every canvas blank.
 */
async function expectLinesDrawn(charts: ObjectCharts, where: string): Promise<void> {
  await expect.poll(() => ObjectCharts.linePixels(charts.iops, LINE_COLORS.read),
    { message: `the read line drawn on ${where}'s IOPS chart`, timeout: 15_000 }).toBeGreaterThan(50);
  await expect.poll(() => ObjectCharts.linePixels(charts.latency, LINE_COLORS.p50),
    { message: `the p50 line drawn on ${where}'s latency chart`, timeout: 15_000 }).toBeGreaterThan(50);
}

test.describe('the dashboard under load', () => {
  let wrBench = '';

  test.beforeAll(async () => {
    // Built once with CMake when no build exists (about half a minute, longer on a loaded machine).
    test.setTimeout(240_000);
    wrBench = findOrBuildWrBench();
  });

  test('while wr-bench drives a subsystem, the charts move, Prometheus and the stream carry its I/O, and a p99 alert is raised and cleared', async ({
    page,
    admin,
    adminToken,
    request,
    baseURL,
  }) => {
    // Up to a four-minute load and two alert windows of 10 s on a loaded machine.
    test.setTimeout(300_000);
    const suffix = randomUUID().slice(0, 8);
    const nqn = `nqn.2026-11.dev.windrose.e2e:telemetry-${suffix}`;
    const hostNqn = `nqn.2014-08.org.nvmexpress:uuid:${randomUUID()}`;
    const namespaceName = `${nqn} namespace 1`;
    const dashboard = new OverviewPage(page);
    const namespacePage = new NamespaceStatsPage(page, nqn, 1);
    const events = new EventsPage(page);
    const created: Created = {};
    let original: Thresholds | undefined;
    let load: BenchRun | undefined;

    try {
      await test.step('a memory volume is exported as namespace 1 of a subsystem on a free port, allowed to one host', async () => {
        created.poolId = (await post(request, adminToken, '/api/v1/pools',
          { name: `ram-${suffix}`, type: 'MEMORY', capacityBytes: 32 * MIB })).id;
        created.volumeId = (await post(request, adminToken, '/api/v1/volumes',
          { name: `telemetry-${suffix}`, poolId: created.poolId, sizeBytes: 16 * MIB })).id;
        created.subsystemId = (await post(request, adminToken, '/api/v1/subsystems', { nqn })).id;
        const port = await freePort();
        await post(request, adminToken, `/api/v1/subsystems/${created.subsystemId}/namespaces`, { volumeId: created.volumeId, nsid: 1 });
        await post(request, adminToken, `/api/v1/subsystems/${created.subsystemId}/listeners`, { address: '127.0.0.1', port });
        await post(request, adminToken, `/api/v1/subsystems/${created.subsystemId}/hosts`, { hostNqn });
        // The reconciler applies them to the dataplane: connect only once it serves all three.
        await expect.poll(async () => {
          const subsystem = await (await request.get(`/api/v1/subsystems/${created.subsystemId}`, { headers: bearer(adminToken) })).json();
          return [...subsystem.namespaces, ...subsystem.listeners, ...subsystem.allowedHosts].map((object) => object.state);
        }, { timeout: 30_000 }).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
        load = runWrBench(wrBench, { address: '127.0.0.1', port, subsystemNqn: nqn, hostNqn, seconds: LOAD_SECONDS });
      });

      await test.step('the administrator signs in and the dashboard is the landing page', async () => {
        const login = new LoginPage(page);
        await login.open();
        await login.signIn(admin);
        await dashboard.expectShown();
        // Still there at the end means the page was never reloaded: every point came over the push channel.
        await page.evaluate(() => ((window as unknown as { dashboardMarker: string }).dashboardMarker = 'no reload'));
      });

      await test.step('the cluster charts move and show non-zero IOPS within a few seconds', async () => {
        const charts = dashboard.clusterCharts;
        await expect.poll(async () => (await ObjectCharts.state(charts.iops)).lastValues.some((iops) => (iops ?? 0) > 0),
          { message: 'the IOPS chart\'s newest point is above 0', timeout: 15_000 }).toBe(true);
        const before = await ObjectCharts.state(charts.iops);
        await expect.poll(async () => (await ObjectCharts.state(charts.iops)).lastTime,
          { message: 'a newer point arrives', timeout: 5_000 }).toBeGreaterThan(before.lastTime);
        await expect.poll(async () => (await ObjectCharts.state(charts.throughput)).lastValues[0] ?? 0,
          { message: 'read MiB/s of the newest point', timeout: 5_000 }).toBeGreaterThan(0);
        await expect(charts.iopsNow).toHaveText(/^[1-9][\d,]* IOPS \(read [1-9][\d,]*, write 0\)$/);
        await expectLinesDrawn(charts, 'the dashboard');
        await expect(dashboard.topByIops.getByRole('link', { name: `${nqn} #1` })).toBeVisible();
        expect(await page.evaluate(() => (window as unknown as { dashboardMarker?: string }).dashboardMarker)).toBe('no reload');
      });

      await test.step('a pool created meanwhile shows in the capacity card without a reload', async () => {
        const before = await dashboard.poolCapacity.textContent();
        const pools = Number(/ in (\d+) pools?$/.exec(before ?? '')?.[1]);
        expect(pools, `the capacity card counts the pools: ${before}`).toBeGreaterThan(0);
        created.laterPoolId = (await post(request, adminToken, '/api/v1/pools',
          { name: `later-${suffix}`, type: 'MEMORY', capacityBytes: 64 * MIB })).id;
        // Read again with every fifth sample (and at every alert change), pushed like the samples.
        await expect(dashboard.poolCapacity).toHaveText(new RegExp(` in ${pools + 1} pools$`), { timeout: 15_000 });
        expect(await page.evaluate(() => (window as unknown as { dashboardMarker?: string }).dashboardMarker)).toBe('no reload');
      });

      await test.step('the namespace page shows its latency', async () => {
        await dashboard.topByIops.getByRole('link', { name: `${nqn} #1` }).click();
        await expect(namespacePage.heading).toBeVisible();
        const charts = namespacePage.charts;
        await expect.poll(async () => (await ObjectCharts.state(charts.latency)).lastValues,
          { message: 'p50, p99 and p99.9 of the newest point', timeout: 15_000 })
          .toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
        const [p50, p99, p999] = (await ObjectCharts.state(charts.latency)).lastValues as number[];
        expect(p50).toBeGreaterThan(0);
        expect(p99).toBeGreaterThanOrEqual(p50);
        expect(p999).toBeGreaterThanOrEqual(p99);
        await expect(charts.latencyNow).toHaveText(/^p50 [\d,.]+ (µs|ms), p99 [\d,.]+ (µs|ms), p99\.9 [\d,.]+ (µs|ms)$/);
        await expectLinesDrawn(charts, 'the namespace\'s page');
      });

      await test.step('the subsystem\'s page draws its charts too', async () => {
        const subsystemPage = new SubsystemDetailPage(page);
        await subsystemPage.open(created.subsystemId!);
        await expectLinesDrawn(new ObjectCharts(page, `subsystem:${nqn}`, 'Activity of this subsystem'), 'the subsystem\'s page');
      });

      await test.step('/actuator/prometheus parses and carries the namespace\'s counters (a scrape with a token)', async () => {
        const scrape = async () => {
          // An anonymous scrape sees totals only (no NQNs); the namespace's own series need a token.
          const response = await request.get('/actuator/prometheus', { headers: bearer(adminToken) });
          expect(response.status()).toBe(200);
          return parsePrometheus(await response.text());
        };
        const mine = (samples: PrometheusSample[], name: string, direction = 'read') =>
          samples.filter((s) => s.name === name && s.labels.subsystem === nqn && s.labels.nsid === '1' && s.labels.direction === direction);
        const first = await scrape();
        const [readOps] = mine(first, 'windrose_namespace_ops_total');
        expect(readOps?.value, 'read operations of the namespace').toBeGreaterThan(0);
        const [readBytes] = mine(first, 'windrose_namespace_bytes_total');
        expect(readBytes?.value).toBe(readOps.value * 4096);
        const buckets = mine(first, 'windrose_namespace_latency_seconds_bucket');
        expect(buckets.length, 'latency histogram buckets').toBeGreaterThan(1);
        expect(buckets.find((bucket) => bucket.labels.le === '+Inf')?.value).toBeGreaterThan(0);
        await expect.poll(async () => mine(await scrape(), 'windrose_namespace_ops_total')[0]?.value ?? 0,
          { message: 'the counter grows under load', timeout: 10_000 }).toBeGreaterThan(readOps.value);
      });

      await test.step('the stream refuses a client without a token and delivers samples to one with a token', async () => {
        const url = `${baseURL}/api/v1/stats/stream`;
        const refused = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: AbortSignal.timeout(10_000) });
        expect(refused.status).toBe(401);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        await refused.body?.cancel();
        const stream = await fetch(url, {
          headers: { Accept: 'text/event-stream', ...bearer(adminToken) },
          signal: AbortSignal.timeout(30_000),
        });
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toContain('text/event-stream');
        const samples = await readSamples(stream.body!, 3);
        expect(samples).toHaveLength(3);
        const times = samples.map((sample) => Date.parse(sample.timestamp));
        expect(times[1]).toBeGreaterThan(times[0]);
        expect(times[2]).toBeGreaterThan(times[1]);
        const ours = samples.at(-1)!.namespaces.find((ns) => ns.subsystemNqn === nqn && ns.nsid === 1);
        expect(ours?.rates.readIops, 'the namespace\'s read IOPS in the newest streamed sample').toBeGreaterThan(0);
      });

      await test.step('a p99 bound of 1 µs set in the thresholds view raises an open event for the namespace', async () => {
        const current = await request.get('/api/v1/alert-thresholds', { headers: bearer(adminToken) });
        expect(current.status()).toBe(200);
        original = await current.json();
        const thresholds = new AlertThresholdsPage(page);
        await thresholds.open();
        await thresholds.setLatencyBound(1);
        await expect(thresholds.saved).toBeVisible();
        await events.open();
        // Judged on each 10 s window of the sampler: the next one or the one after raises it.
        await expect(events.state(namespaceName, 'p99 latency', 'open')).toBeVisible({ timeout: 30_000 });
        const [, rule, object, message, state] = await events.rowTexts(namespaceName, 'p99 latency');
        expect([rule, object, state]).toEqual(['p99 latency', namespaceName, 'open']);
        expect(message).toMatch(/^p99 latency [\d,]+ µs over the 10 s ending \S+ is above the bound of 1 µs\.$/);
        await expect(events.badge).toHaveAccessibleName(/^\d+ open events?$/);
      });

      await test.step('the administrator acknowledges it in the events view', async () => {
        await expect(events.acknowledgeButtons(/^p99 latency .* above the bound of 1 µs\.$/)).toHaveCount(1);
        await events.acknowledge(namespaceName, 'p99 latency');
        await expect(page.getByText(`Acknowledged: ${namespaceName}.`)).toBeVisible();
        await expect(events.state(namespaceName, 'p99 latency', 'acknowledged')).toBeVisible();
        // The same kind of locator found the button before the click: none for this rule and bound now.
        await expect(events.acknowledgeButtons(/^p99 latency .* above the bound of 1 µs\.$/)).toHaveCount(0);
      });

      await test.step('raising the bound again over REST clears it while the load still runs', async () => {
        await putThresholds(request, adminToken, original!);
        await expect(events.state(namespaceName, 'p99 latency', 'cleared')).toBeVisible({ timeout: 30_000 });
        expect(load!.process.exitCode, 'wr-bench still drives I/O: the raised bound cleared the event, not idleness').toBeNull();
        const cleared = await request.get('/api/v1/events?state=CLEARED', { headers: bearer(adminToken) });
        const page1: { items: Array<{ rule: string; objectKey: string }> } = await cleared.json();
        expect(page1.items.some((event) => event.rule === 'LATENCY_P99' && event.objectKey === `namespace:${nqn}/1`)).toBe(true);
      });
    } finally {
      if (original) await putThresholds(request, adminToken, original);
      if (load && load.process.exitCode === null) load.process.kill('SIGTERM');
      if (load) await load.finished;
      await removeCreated(request, adminToken, created);
    }
  });
});
