import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/**
 * The aggregation wizard at /aggregations/new (platform, members, layout, review and create), and the same
 * steps at /aggregations/:id/edit for changing one.
 */
export class AggregationWizardPage {
  readonly next: Locator;
  readonly back: Locator;
  readonly create: Locator;
  readonly ruleChecks: Locator;
  readonly refusal: Locator;
  readonly change: Locator;
  readonly changes: Locator;
  readonly changeRefusal: Locator;

  constructor(private readonly page: Page) {
    this.next = page.getByRole('button', { name: 'Next' });
    this.back = page.getByRole('button', { name: 'Back' });
    this.create = page.getByRole('button', { name: 'Create aggregation' });
    this.ruleChecks = page.getByLabel('Rule checks');
    this.refusal = page.getByRole('alert').filter({ hasText: 'Not created.' });
    this.change = page.getByRole('button', { name: 'Change aggregation' });
    this.changes = page.getByLabel('Changes');
    this.changeRefusal = page.getByRole('alert').filter({ hasText: 'Not changed.' });
  }

  /** From the aggregation's own page, through its Change button; the wizard opens on the members step. */
  async openChange(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Change aggregation' }).click();
    await waitForVaadin(this.page);
    await expect(this.page.getByRole('heading', { name: `Change aggregation ${name}`, level: 3 })).toBeVisible();
  }

  async addMember(member: number, nqn: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add member' }).click();
    await waitForVaadin(this.page);
    await this.setHostNqn(member, nqn);
  }

  async setCapacityCount(count: number): Promise<void> {
    await this.integer('Capacity drives per member', count);
  }

  async setCapacitySize(gib: number): Promise<void> {
    await this.integer('Capacity drive size (GiB)', gib);
  }

  /** Through the aggregations view's button, as a user would. */
  async open(): Promise<void> {
    await openView(this.page, '/aggregations');
    await this.page.getByRole('button', { name: 'New aggregation' }).click();
    await waitForVaadin(this.page);
    await expect(this.page.getByRole('heading', { name: 'New aggregation', level: 3 })).toBeVisible();
  }

  async choosePlatform(name: string, platform: string): Promise<void> {
    await this.page.getByLabel('Aggregation name').fill(name);
    await this.page.getByLabel('Platform').click();
    await this.page.getByRole('option', { name: platform, exact: true }).click();
    await this.goNext();
  }

  async setHostNqn(member: number, nqn: string): Promise<void> {
    const field = this.page.getByLabel(`Member ${member}`).getByLabel('Host NQN');
    await field.fill(nqn);
    await field.press('Tab');
    await waitForVaadin(this.page);
  }

  async setCapacityDrives(count: number, gib: number, pool: string): Promise<void> {
    await this.integer('Capacity drives per member', count);
    await this.integer('Capacity drive size (GiB)', gib);
    await this.page.getByLabel('Pool for capacity drives').click();
    await this.page.getByRole('option', { name: new RegExp(`^${pool} \\(`) }).click();
    await waitForVaadin(this.page);
  }

  async goNext(): Promise<void> {
    await this.next.click();
    await waitForVaadin(this.page);
  }

  async goBack(): Promise<void> {
    await this.back.click();
    await waitForVaadin(this.page);
  }

  private async integer(label: string, value: number): Promise<void> {
    const field = this.page.getByLabel(label);
    await field.fill(String(value));
    await field.press('Tab');
    await waitForVaadin(this.page);
  }
}

