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

  /**
   * A data row, counted from the top (0 is the newest entry). A row's accessible name is its cells'
   * text in column order: time, action, by, on, details, from.
   */
  row(index: number): Locator {
    // Row 0 of the grid is the header.
    return this.page.getByRole('row').nth(index + 1);
  }
}
