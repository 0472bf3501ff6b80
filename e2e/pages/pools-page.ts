import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The pools view at /pools: capacity bars, the create dialog and delete. */
export class PoolsPage {
  readonly newPool: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.newPool = page.getByRole('button', { name: 'New pool' });
    this.dialog = page.getByRole('dialog', { name: 'New pool' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/pools');
    await expect(this.newPool).toBeVisible();
  }

  async openCreateDialog(name: string): Promise<void> {
    await this.newPool.click();
    await expect(this.dialog.getByLabel('Name')).toBeVisible();
    await this.dialog.getByLabel('Name').fill(name);
    await this.dialog.getByRole('radio', { name: 'Disks (thick)' }).check();
  }

  /** The checkbox of a disk in the create dialog; its name also says whether the disk is free or why not. */
  diskChoice(diskName: string): Locator {
    return this.dialog.getByRole('checkbox', { name: new RegExp(`^${diskName} · `) });
  }

  get createButton(): Locator {
    return this.dialog.getByRole('button', { name: 'Create pool' });
  }

  async create(): Promise<void> {
    await this.createButton.click();
    await waitForVaadin(this.page);
    await expect(this.dialog).toHaveCount(0);
  }

  capacityBar(poolName: string): Locator {
    return this.page.getByRole('progressbar', { name: `Allocated of ${poolName}` });
  }

  async deletePool(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete pool ${name}`, exact: true }).click();
    await this.page.getByRole('alertdialog', { name: `Delete pool ${name}?` }).or(
      this.page.getByRole('dialog', { name: `Delete pool ${name}?` })).getByRole('button', { name: 'Delete' }).click();
    await waitForVaadin(this.page);
  }
}
