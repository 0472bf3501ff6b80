import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The administrators' alert thresholds at /alert-thresholds: a form and its Save button. */
export class AlertThresholdsPage {
  readonly heading: Locator;
  readonly poolWarning: Locator;
  readonly poolCritical: Locator;
  readonly latencyP99: Locator;
  readonly queuePairErrors: Locator;
  readonly save: Locator;
  readonly saved: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Alert thresholds' });
    this.poolWarning = page.getByRole('spinbutton', { name: 'Pool usage warning at (%)' });
    this.poolCritical = page.getByRole('spinbutton', { name: 'Pool usage critical at (%)' });
    this.latencyP99 = page.getByRole('textbox', { name: 'p99 latency bound (µs)' });
    this.queuePairErrors = page.getByRole('textbox', { name: 'Queue-pair errors per minute' });
    this.save = page.getByRole('button', { name: 'Save thresholds' });
    this.saved = page.getByText('Alert thresholds saved.');
  }

  async open(): Promise<void> {
    await openView(this.page, '/alert-thresholds');
    await expect(this.latencyP99).toBeVisible();
  }

  async setLatencyBound(micros: number): Promise<void> {
    await this.latencyP99.fill(String(micros));
    await this.save.click();
    await waitForVaadin(this.page);
  }
}
