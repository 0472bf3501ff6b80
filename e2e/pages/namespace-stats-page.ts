import { expect, type Locator, type Page } from '@playwright/test';
import { openView } from '../support/vaadin.js';
import { ObjectCharts } from './object-charts.js';

/** One namespace's live charts at /statistics/namespace?subsystem=<nqn>&nsid=<n>. */
export class NamespaceStatsPage {
  readonly heading: Locator;
  readonly charts: ObjectCharts;

  constructor(private readonly page: Page, private readonly subsystemNqn: string, private readonly nsid: number) {
    this.heading = page.getByRole('heading', { name: `Namespace ${nsid} of ${subsystemNqn}` });
    this.charts = new ObjectCharts(page, `namespace:${subsystemNqn}/${nsid}`, `Namespace ${nsid}`);
  }

  async open(): Promise<void> {
    const query = new URLSearchParams({ subsystem: this.subsystemNqn, nsid: String(this.nsid) });
    await openView(this.page, `/statistics/namespace?${query}`);
    await expect(this.heading).toBeVisible();
  }
}
