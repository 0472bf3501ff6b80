import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The volumes view at /volumes. */
export class VolumesPage {
  readonly newVolume: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.newVolume = page.getByRole('button', { name: 'New volume' });
    this.dialog = page.getByRole('dialog', { name: 'New volume' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/volumes');
    await expect(this.newVolume).toBeVisible();
  }

  async createVolume(name: string, pool: string, mib: number): Promise<void> {
    await this.newVolume.click();
    await expect(this.dialog.getByLabel('Name')).toBeVisible();
    await this.dialog.getByLabel('Name').fill(name);
    await this.dialog.getByLabel('Pool').click();
    await this.page.getByRole('option', { name: pool, exact: true }).click();
    await this.dialog.locator('vaadin-integer-field input').fill(String(mib));
    await this.dialog.getByLabel('Size unit').click();
    await this.page.getByRole('option', { name: 'MiB' }).click();
    await this.dialog.getByRole('button', { name: 'Create volume' }).click();
    await waitForVaadin(this.page);
    await expect(this.dialog).toHaveCount(0);
  }

  cell(text: string): Locator {
    return this.page.getByRole('gridcell', { name: text, exact: true });
  }

  async deleteVolume(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete volume ${name}`, exact: true }).click();
    await this.page.getByRole('alertdialog', { name: `Delete volume ${name}?` }).or(
      this.page.getByRole('dialog', { name: `Delete volume ${name}?` })).getByRole('button', { name: 'Delete' }).click();
    await waitForVaadin(this.page);
  }
}
