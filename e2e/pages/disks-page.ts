import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The disks view at /disks: discovered disks, health and use, and lab disks for administrators. */
export class DisksPage {
  readonly newLabDisk: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.newLabDisk = page.getByRole('button', { name: 'New lab disk' });
    this.dialog = page.getByRole('dialog', { name: 'New lab disk' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/disks');
    await expect(this.page.getByRole('textbox', { name: 'Search disks' })).toBeVisible();
  }

  /** Creates a lab disk of the given number of MiB in the default lab directory. */
  async createLabDisk(name: string, mib: number): Promise<void> {
    await this.newLabDisk.click();
    await expect(this.dialog.getByLabel('Name')).toBeVisible();
    await this.dialog.getByLabel('Name').fill(name);
    await this.dialog.locator('vaadin-integer-field input').fill(String(mib));
    await this.dialog.getByLabel('Size unit').click();
    await this.page.getByRole('option', { name: 'MiB' }).click();
    await this.dialog.getByRole('button', { name: 'Create lab disk' }).click();
    await waitForVaadin(this.page);
    await expect(this.dialog).toHaveCount(0);
  }

  /** The name cell of a lab disk: its name followed by the "Lab" badge. */
  labDiskCell(name: string): Locator {
    return this.page.getByRole('gridcell', { name: `${name} Lab`, exact: true });
  }

  async deleteLabDisk(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete lab disk ${name}`, exact: true }).click();
    await this.page.getByRole('alertdialog', { name: `Delete lab disk ${name}?` }).or(
      this.page.getByRole('dialog', { name: `Delete lab disk ${name}?` })).getByRole('button', { name: 'Delete' }).click();
    await waitForVaadin(this.page);
  }
}
