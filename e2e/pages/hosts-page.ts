import { expect, type Locator, type Page } from '@playwright/test';
import { openView } from '../support/vaadin.js';

/** The hosts view at /hosts. */
export class HostsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openView(this.page, '/hosts');
  }

  localHostLink(): Locator {
    return this.page.getByRole('link', { name: /\(this host\)$/ });
  }

  async expectLocalHostOnline(): Promise<void> {
    await expect(this.localHostLink()).toBeVisible();
    await expect(this.page.getByRole('gridcell', { name: 'Online' }).first()).toBeVisible();
  }
}
