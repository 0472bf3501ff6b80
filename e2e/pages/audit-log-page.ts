import { expect, type Locator, type Page } from '@playwright/test';
import { openView } from '../support/vaadin.js';

/** The administrators' audit log at /audit, newest first. */
export class AuditLogPage {
  readonly grid: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.locator('vaadin-grid');
  }

  async open(): Promise<void> {
    await openView(this.page, '/audit');
    await expect(this.grid).toBeVisible();
  }

  /** The text of the visible rows' action cells, top to bottom. */
  cells(): Locator {
    return this.page.locator('vaadin-grid-cell-content');
  }
}
