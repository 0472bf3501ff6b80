/**
 * Issue #8 end to end: a new administrator on a fresh install (its own server and data directory)
 * goes from the first visit to a connected host with the guided setup, in Chromium; the host is the
 * Linux kernel initiator in the QEMU guest (e2e/guest/run-guest.sh), which runs the connect command the
 * wizard's last step shows, writes and verifies data, and the wizard's live indicator names it.
 *
 * Every click and every field typed on the straight path is counted and printed; the detours this
 * test takes on purpose (a refused host NQN, a Back step) are counted apart.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from '@playwright/test';
import { FirstRunPage } from '../pages/first-run-page.js';
import { LoginPage } from '../pages/login-page.js';
import { OnboardingPage } from '../pages/onboarding-page.js';
import { expect, test } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { waitForVaadin } from '../support/vaadin.js';

const GUEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'guest');
/** QEMU user networking: the guest reaches the host's 127.0.0.1 as 10.0.2.2. */
const HOST_AS_SEEN_BY_GUEST = '10.0.2.2';
/** Boot under TCG, connect, 16 MiB fio verify: about a minute on a quiet machine, three when loaded. */
const GUEST_TIMEOUT_S = 240;

test.describe.configure({ mode: 'serial' });
test.setTimeout((GUEST_TIMEOUT_S + 120) * 1000);

let server: RunningServer;

test.beforeAll(async () => {
  // Its own server: a start may take minutes on a loaded machine (see WINDROSE_E2E_READY_TIMEOUT_S).
  test.setTimeout(Number(process.env.WINDROSE_E2E_READY_TIMEOUT_S ?? 180) * 1000 + 60_000);
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** Clicks and typed fields, on the straight path and on the test's detours. */
class Effort {
  clicks = 0;
  fields = 0;
  detourClicks = 0;
  detourFields = 0;
  private detour = false;

  async click(target: Locator): Promise<void> {
    await target.click();
    if (this.detour) this.detourClicks++;
    else this.clicks++;
    await waitForVaadin(target.page());
  }

  async fill(target: Locator, value: string): Promise<void> {
    await target.fill(value);
    if (this.detour) this.detourFields++;
    else this.fields++;
  }

  async aside(work: () => Promise<void>): Promise<void> {
    this.detour = true;
    try {
      await work();
    } finally {
      this.detour = false;
    }
  }
}

test('a new administrator goes from the first visit to a connected Linux host with the guided setup', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  const wizard = new OnboardingPage(page);
  const effort = new Effort();
  const admin = { username: 'admin', password: `Wr-${randomBytes(12).toString('base64url')}` };
  const hostNqn = `nqn.2014-08.org.nvmexpress:uuid:${randomUUID()}`;
  const suffix = randomUUID().slice(0, 6);

  await test.step('first visit: create the administrator and sign in, the wizard is offered', async () => {
    await page.goto('/');
    await waitForVaadin(page);
    const setup = new FirstRunPage(page);
    await setup.expectShown();
    // The user name is filled in ("admin") already.
    await effort.fill(setup.password, admin.password);
    await effort.fill(setup.confirmation, admin.password);
    await effort.click(setup.create);
    const login = new LoginPage(page);
    await expect(login.username).toBeVisible();
    await effort.fill(login.username, admin.username);
    await effort.fill(login.password, admin.password);
    await effort.click(login.submit);
    await expect(page).toHaveURL(/\/welcome$/);
    await wizard.expectStep(1, 'Cluster');
  });

  await test.step('step 1: name the cluster; listeners on loopback, where the QEMU guest reaches the host', async () => {
    await effort.fill(wizard.clusterName, `E2E lab ${suffix}`);
    await expect(wizard.address('127.0.0.1')).toHaveAccessibleName(/loopback/);
    // A real server keeps its first real address (the default); this test's host is a VM on this machine.
    await effort.aside(async () => {
      for (const chosen of await wizard.listenerAddresses.getByRole('checkbox', { checked: true }).all()) {
        await effort.click(chosen);
      }
      await effort.click(wizard.address('127.0.0.1'));
    });
    await effort.click(wizard.next);
    await wizard.expectStep(2, 'Disks');
  });

  await test.step('step 2: a disk the system uses is greyed out with the reason; a lab disk is made for the trial', async () => {
    const inUse = wizard.disks.getByRole('checkbox', { name: /In use: / });
    for (const disk of await inUse.all()) await expect(disk).toBeDisabled();
    console.log(`Disks in use by the system, offered greyed out: ${await inUse.count()}`);
    await effort.click(wizard.createLabDisk);
    await expect(wizard.disk('lab1')).toBeChecked();
    await expect(wizard.disk('lab1')).toHaveAccessibleName(/for trials/);
    await effort.click(wizard.next);
    await wizard.expectStep(3, 'Pool');
  });

  await test.step('step 3: the pool type is suggested from the chosen disk', async () => {
    await expect(wizard.suggestion).toContainText('Suggested: a disk pool');
    await expect(wizard.poolType).toContainText('Disk pool');
    await effort.click(wizard.next);
    await wizard.expectStep(4, 'Volumes');
  });

  await test.step('step 4: the first volume, with the suggested name and size', async () => {
    await expect(wizard.volumeName).toHaveValue('vol1');
    await effort.click(wizard.next);
    await wizard.expectStep(5, 'Subsystem');
  });

  await test.step('step 5: a malformed host NQN is refused in words; Back and Next keep what was typed', async () => {
    await effort.aside(async () => {
      await effort.fill(wizard.hostNqn, 'nqn.not-a-host');
      await effort.click(wizard.next);
      await wizard.expectStep(5, 'Subsystem');
      await expect(wizard.fieldError('Host NQN of the first host')).toContainText('is not an NQN');
      await expect(wizard.error).toContainText('is not an NQN');
      await effort.click(wizard.back);
      await wizard.expectStep(4, 'Volumes');
      await expect(wizard.volumeName).toHaveValue('vol1');
      await effort.click(wizard.next);
      await wizard.expectStep(5, 'Subsystem');
      await expect(wizard.hostNqn).toHaveValue('nqn.not-a-host');
    });
    await effort.fill(wizard.hostNqn, hostNqn);
    await effort.click(wizard.next);
    await wizard.expectStep(6, 'Connect');
  });

  const subsystemNqn = await test.step('step 6: the connect commands name this subsystem and host', async () => {
    await expect(wizard.connectionIndicator).toContainText('Waiting for the first host to connect');
    const command = await wizard.linuxConnect.inputValue();
    expect(command).toMatch(new RegExp(`^nvme connect -t tcp -a 127\\.0\\.0\\.1 -s \\d+ -n \\S+ -q ${hostNqn}$`));
    await expect(wizard.esxiConnect).toHaveValue(/^esxcli nvme fabrics connect -a vmhba65 -i 127\.0\.0\.1 -p \d+ -s \S+$/);
    return /-n (\S+)/.exec(command)![1];
  });

  await test.step('the Linux kernel initiator runs the shown command, writes and verifies data; the indicator names it', async () => {
    const shown = await wizard.linuxConnect.inputValue();
    // The only change to the shown command: the guest reaches this host's 127.0.0.1 as 10.0.2.2.
    const inGuest = shown.replace(' -a 127.0.0.1 ', ` -a ${HOST_AS_SEEN_BY_GUEST} `);
    const guest = runGuest({ hostNqn, subsystemNqn, command: inGuest });
    try {
      await expect(wizard.connectionIndicator).toContainText(`Connected: ${hostNqn}`, { timeout: GUEST_TIMEOUT_S * 1000 });
      await expect(wizard.connectionIndicator).toHaveAttribute('data-state', 'connected');
      guest.indicatorSeen();
      const result = await guest.finished;
      console.log(result.output.split('\n').filter((line) => /^GUEST (PASS|FAIL)|passed, \d+ failed/.test(line)).join('\n'));
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('GUEST PASS write-verify');
      expect(result.output).toContain('GUEST PASS wizard-names-this-host');
    } finally {
      guest.stop();
    }
  });

  console.log(`Guided setup, first visit to connected host: ${effort.clicks} clicks and ${effort.fields} fields typed ` +
    `(${effort.clicks + effort.fields} in all); this test's detours added ${effort.detourClicks} clicks and ` +
    `${effort.detourFields} fields.`);

  await test.step('Finish: the wizard is closed and what it made is ordinary state in the normal pages', async () => {
    await wizard.finish.click();
    await waitForVaadin(page);
    await expect(page).not.toHaveURL(/\/welcome$/);
    await page.goto('/subsystems');
    await waitForVaadin(page);
    await expect(page.getByText(subsystemNqn)).toBeVisible();
    await page.goto('/');
    await waitForVaadin(page);
    await expect(page).not.toHaveURL(/\/welcome$/);
    // The name typed in step 1 is the console's: under the app's name, in the tab title, on the dashboard.
    await expect(page.locator('#cluster-name')).toHaveText(`Cluster E2E lab ${suffix}`);
    await expect(page).toHaveTitle(`Dashboard · E2E lab ${suffix}`);
    await expect(page.locator('#cluster-heading')).toHaveText(`Cluster E2E lab ${suffix}`);
  });

  await context.close();
});

interface GuestRun {
  finished: Promise<{ code: number | null; output: string }>;
  indicatorSeen(): void;
  stop(): void;
}

/**
 * Boots the guest in the background. When its steps ask the host (`ask_host wizard-indicator`), the
 * hook waits until this spec has seen the indicator name the guest, so the guest stays connected
 * while the browser watches.
 */
function runGuest(options: { hostNqn: string; subsystemNqn: string; command: string }): GuestRun {
  const work = mkdtempSync(join(tmpdir(), 'windrose-onboarding-guest-'));
  const seen = join(work, 'indicator-seen');
  const hook = join(work, 'hook.sh');
  writeFileSync(hook, `#!/bin/sh\ni=0\nwhile [ $i -lt ${GUEST_TIMEOUT_S} ]; do\n  [ -f '${seen}' ] && exit 0\n  sleep 1\n  i=$((i+1))\ndone\nexit 1\n`, { mode: 0o755 });
  const child = spawn(join(GUEST_DIR, 'run-guest.sh'), [
    '--steps', join(GUEST_DIR, 'onboarding-steps.sh'),
    '--hostnqn', options.hostNqn,
    '--env', `CONNECT_COMMAND=${options.command}`,
    '--env', `SUBNQN=${options.subsystemNqn}`,
    '--on-wait', hook,
    '--timeout', String(GUEST_TIMEOUT_S),
  ], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const finished = new Promise<{ code: number | null; output: string }>((done) => {
    child.on('close', (code) => {
      rmSync(work, { recursive: true, force: true });
      done({ code, output });
    });
  });
  return {
    finished,
    indicatorSeen: () => {
      if (existsSync(work)) writeFileSync(seen, '');
    },
    // The whole process group: run-guest.sh and its QEMU.
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    },
  };
}
