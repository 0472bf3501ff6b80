import type { Locator, Page } from '@playwright/test';

/** What a `<wr-live-chart>` holds in the browser: its newest point, read from the element itself. */
export interface ChartState {
  /** The newest point's time in epoch milliseconds, 0 before the first point. */
  lastTime: number;
  /** The newest point's values, one per line (null where absent), empty before the first point. */
  lastValues: Array<number | null>;
}

/**
 * The charts of one measured object (the cluster on the dashboard, a subsystem, a namespace): IOPS,
 * throughput and latency, each a `<wr-live-chart>` with role img named "<title>: IOPS" and so on,
 * and beside each the current figure in words (role status, "IOPS now").
 */
export class ObjectCharts {
  readonly root: Locator;
  readonly iops: Locator;
  readonly throughput: Locator;
  readonly latency: Locator;
  readonly iopsNow: Locator;
  readonly throughputNow: Locator;
  readonly latencyNow: Locator;
  readonly range: Locator;

  /** objectKey as the REST API names it: cluster, subsystem:<nqn>, namespace:<nqn>/<nsid>. */
  constructor(page: Page, objectKey: string, title: string) {
    this.root = page.locator(`.object-charts[data-object="${objectKey.replace(/"/g, '\\"')}"]`);
    this.iops = this.root.getByRole('img', { name: `${title}: IOPS`, exact: true });
    this.throughput = this.root.getByRole('img', { name: `${title}: throughput`, exact: true });
    this.latency = this.root.getByRole('img', { name: `${title}: latency`, exact: true });
    this.iopsNow = this.root.getByRole('status', { name: 'IOPS now' });
    this.throughputNow = this.root.getByRole('status', { name: 'Throughput now' });
    this.latencyNow = this.root.getByRole('status', { name: 'Latency now' });
    this.range = this.root.getByRole('radiogroup', { name: 'Range' });
  }

  static async state(chart: Locator): Promise<ChartState> {
    return chart.evaluate((element) => {
      const live = element as unknown as ChartState;
      return { lastTime: live.lastTime, lastValues: [...live.lastValues] };
    });
  }
}
