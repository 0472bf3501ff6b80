import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The guided setup (wizard) at /welcome: six steps from a fresh install to a connected host. */
export class OnboardingPage {
  readonly stepTitle: Locator;
  readonly next: Locator;
  readonly back: Locator;
  readonly skip: Locator;
  readonly finish: Locator;
  readonly error: Locator;
  // Step 1
  readonly clusterName: Locator;
  readonly listenerAddresses: Locator;
  // Step 2
  readonly disks: Locator;
  readonly createLabDisk: Locator;
  // Step 3
  readonly poolType: Locator;
  readonly suggestion: Locator;
  // Step 4
  readonly volumeName: Locator;
  // Step 5
  readonly subsystemNqn: Locator;
  readonly hostNqn: Locator;
  // Step 6
  readonly linuxConnect: Locator;
  readonly esxiConnect: Locator;
  readonly connectionIndicator: Locator;

  constructor(private readonly page: Page) {
    this.stepTitle = page.getByRole('heading', { level: 2 });
    this.next = page.getByRole('button', { name: 'Next' });
    this.back = page.getByRole('button', { name: 'Back' });
    this.skip = page.getByRole('button', { name: 'Skip setup' });
    this.finish = page.getByRole('button', { name: 'Finish' });
    this.error = page.locator('#wizard-error');
    this.clusterName = page.getByLabel('Cluster name');
    this.listenerAddresses = page.getByRole('group', { name: 'Listener addresses' });
    this.disks = page.getByRole('group', { name: 'Disks of this host' });
    this.createLabDisk = page.getByRole('button', { name: 'Create lab disk' });
    this.poolType = page.getByLabel('Pool type');
    this.suggestion = page.locator('.wizard-suggestion');
    this.volumeName = page.getByLabel('Volume name');
    this.subsystemNqn = page.getByLabel('Subsystem NQN');
    this.hostNqn = page.getByLabel('Host NQN of the first host');
    this.linuxConnect = page.getByRole('textbox', { name: 'Linux: connect' });
    this.esxiConnect = page.getByRole('textbox', { name: 'ESXi: connect' });
    this.connectionIndicator = page.locator('.wizard-connection');
  }

  async open(): Promise<void> {
    await openView(this.page, '/welcome');
  }

  async expectStep(number: number, title: string): Promise<void> {
    await expect(this.stepTitle).toHaveText(`Step ${number} of 6: ${title}`);
  }

  /** The checkbox of one listener address (its label may say "loopback"). */
  address(address: string): Locator {
    return this.listenerAddresses.getByRole('checkbox', { name: new RegExp(`^${address.replace(/[.]/g, '\\.')}( |$)`) });
  }

  /** The checkbox of one disk, by the start of its label (the disk's name). */
  disk(name: string): Locator {
    return this.disks.getByRole('checkbox', { name: new RegExp(`^${name} `) });
  }

  /** The invalid field's message that Vaadin shows under a text field. */
  fieldError(label: string): Locator {
    return this.page.locator(`vaadin-text-field[invalid]:has(label:text-is("${label}")) [slot="error-message"]`);
  }

  async settle(): Promise<void> {
    await waitForVaadin(this.page);
  }
}
