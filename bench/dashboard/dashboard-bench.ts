/**
 * Dashboard push benchmark (not a test): how long a sample takes from the sampler to an open
 * dashboard, and what N open dashboards cost the server in CPU.
 *
 *   node bench/dashboard/dashboard-bench.ts [--pages 20] [--window 30] [--jar target/windrose.jar]
 *
 * It starts the packaged jar (free port, fresh data directory, an administrator from the
 * environment), then:
 *  1. measures the server's CPU time (utime + stime of the JVM in /proc/<pid>/stat) over --window
 *     seconds with no browser attached: the sampler, the history writer and the rest of the idle app;
 *  2. opens --pages dashboards in Debian's Chromium, each in its own browser context (its own
 *     session, as separate people would), and waits until each shows live points;
 *  3. measures the server's CPU over the same window again, while recording in every page when each
 *     sample arrived (the chart's appendPoint is wrapped; the sample's timestamp is the sampler's clock,
 *     the same machine's clock as the browser's) — the delivery delay is arrival minus timestamp;
 *  4. prints the delay's percentiles, the share of samples that arrived within 1.5 s, and the CPU
 *     cost of the dashboards as a share of one core; --out FILE also writes them as JSON.
 * Everything it starts is stopped at the end. On a loaded machine the numbers are noisy: say so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findJar, findJava, freePort } from '../../e2e/support/server.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const require = createRequire(join(ROOT, 'e2e', 'package.json'));
const { chromium } = require('playwright-core') as typeof import('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CLOCK_TICKS = Number(process.env.CLK_TCK ?? 100);
const ADMIN = { username: 'admin', password: `Bench-${Math.random().toString(36).slice(2)}-passphrase` };

interface Options {
  pages: number;
  windowSeconds: number;
  out?: string;
}

function options(): Options {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  if (value('--jar')) process.env.WINDROSE_JAR = value('--jar');
  return { pages: Number(value('--pages') ?? 20), windowSeconds: Number(value('--window') ?? 30), out: value('--out') };
}

async function main(): Promise<void> {
  const opts = options();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'windrose-dashboard-bench-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const server = spawn(findJava(), ['--enable-native-access=ALL-UNNAMED', '-jar', findJar(), `--server.port=${port}`,
    '--server.address=127.0.0.1', `--windrose.data-dir=${dataDir}`, '--windrose.dataplane.target.listen-port=0'], {
    cwd: dataDir,
    env: { ...process.env, WINDROSE_INITIAL_ADMIN_USERNAME: ADMIN.username, WINDROSE_INITIAL_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    await waitForReady(baseURL, server);
    // Let start-up work (JIT, first history rows) settle before the baseline.
    await sleep(10_000);
    log(`server pid ${server.pid} ready at ${baseURL}; baseline over ${opts.windowSeconds} s without dashboards`);
    const idleCpu = await cpuOver(server.pid!, opts.windowSeconds);

    await skipGuidedSetup(browser, baseURL);
    log(`opening ${opts.pages} dashboards`);
    const pages = [];
    for (let i = 0; i < opts.pages; i++) pages.push(await openDashboard(browser, baseURL));
    await sleep(5_000);
    for (const page of pages) await page.evaluate(() => ((window as any).__arrivals = []));
    log(`measuring over ${opts.windowSeconds} s with ${opts.pages} dashboards open`);
    const busyCpu = await cpuOver(server.pid!, opts.windowSeconds);
    const delays: number[] = [];
    for (const page of pages) {
      const arrivals: Array<[number, number]> = await page.evaluate(() => (window as any).__arrivals);
      for (const [sampleMillis, arrivedMillis] of arrivals) delays.push(arrivedMillis - sampleMillis);
    }
    report(opts, idleCpu, busyCpu, delays);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((done) => server.once('exit', done));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

async function signIn(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 60_000 });
  return page;
}

/**
 * A fresh console offers its first administrator the guided setup (/welcome) instead of the dashboard
 * at every sign-in until it is finished or skipped: skip it once, as an administrator who sets up in
 * the normal pages would, so every dashboard below opens on the dashboard.
 */
async function skipGuidedSetup(browser: Browser, baseURL: string): Promise<void> {
  const page = await signIn(browser, baseURL);
  try {
    // The forward to /welcome happens in the browser after the start page loaded: wait for either.
    const skip = page.getByRole('button', { name: 'Skip setup' });
    const dashboard = page.getByRole('heading', { name: 'Dashboard', level: 1 });
    await skip.or(dashboard).first().waitFor({ timeout: 60_000 });
    if (await skip.isVisible()) {
      log('the guided setup is offered: skipping it');
      await skip.click();
      await dashboard.waitFor({ timeout: 60_000 });
    }
  } finally {
    await page.context().close();
  }
}

/** Signs in in a fresh context and wraps the cluster IOPS chart's append to stamp every arrival. */
async function openDashboard(browser: Browser, baseURL: string): Promise<Page> {
  const page = await signIn(browser, baseURL);
  const chart = page.locator('.object-charts[data-object="cluster"] wr-live-chart[aria-label="Cluster: IOPS"]');
  try {
    await chart.waitFor({ timeout: 60_000 });
  } catch (error) {
    // Say where the page is instead of only "timeout": the failure that hid the last run (/welcome).
    const shot = join(tmpdir(), `dashboard-bench-${Date.now()}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    throw new Error(`no cluster IOPS chart at ${page.url()} within 60 s (screenshot ${shot}): ${(error as Error).message}`);
  }
  await chart.evaluate((element: any) => {
    (window as any).__arrivals = [];
    const appendPoint = element.appendPoint.bind(element);
    element.appendPoint = (time: number, values: unknown[]) => {
      (window as any).__arrivals.push([time * 1000, Date.now()]);
      appendPoint(time, values);
    };
  });
  return page;
}

interface Cpu {
  seconds: number;
  wallSeconds: number;
}

/** The process's user + system CPU seconds over a wall-clock window. */
async function cpuOver(pid: number, seconds: number): Promise<Cpu> {
  const start = cpuTicks(pid);
  const wallStart = performance.now();
  await sleep(seconds * 1000);
  const ticks = cpuTicks(pid) - start;
  return { seconds: ticks / CLOCK_TICKS, wallSeconds: (performance.now() - wallStart) / 1000 };
}

function cpuTicks(pid: number): number {
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
}

function report(opts: Options, idle: Cpu, busy: Cpu, delays: number[]): void {
  delays.sort((a, b) => a - b);
  const pct = (p: number) => (delays.length === 0 ? NaN : delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))]);
  const within = delays.filter((delay) => delay <= 1500).length;
  const idleShare = idle.seconds / idle.wallSeconds;
  const busyShare = busy.seconds / busy.wallSeconds;
  const result = {
    at: new Date().toISOString(),
    pages: opts.pages,
    windowSeconds: opts.windowSeconds,
    loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    samplesReceived: delays.length,
    delayMillis: { p50: pct(50), p95: pct(95), p99: pct(99), max: delays.at(-1) ?? NaN },
    withinOneAndAHalfSeconds: delays.length === 0 ? 0 : within / delays.length,
    serverCpuShareOfOneCore: { withoutDashboards: idleShare, withDashboards: busyShare, dashboardsCost: busyShare - idleShare },
  };
  console.log(`samples received:          ${result.samplesReceived} (${opts.pages} pages x ~${opts.windowSeconds} s)`);
  console.log(`sample -> browser delay:   p50 ${result.delayMillis.p50} ms, p95 ${result.delayMillis.p95} ms, p99 ${result.delayMillis.p99} ms, max ${result.delayMillis.max} ms`);
  console.log(`arrived within 1.5 s:      ${(100 * result.withinOneAndAHalfSeconds).toFixed(1)} %`);
  console.log(`server CPU, no dashboards: ${(100 * idleShare).toFixed(2)} % of a core`);
  console.log(`server CPU, ${opts.pages} dashboards: ${(100 * busyShare).toFixed(2)} % of a core`);
  console.log(`cost of ${opts.pages} dashboards:     ${(100 * (busyShare - idleShare)).toFixed(2)} % of a core (goal < 5 %)`);
  console.log(`load average:              ${result.loadavg}`);
  if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
}

async function waitForReady(baseURL: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited during start-up (${server.exitCode})`);
    try {
      if ((await fetch(`${baseURL}/actuator/health/readiness`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('the server was not ready within 600 s');
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function log(message: string): void {
  console.error(`dashboard-bench: ${message}`);
}

await main();
