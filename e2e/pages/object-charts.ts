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
/** The lines' colours, as ObjectCharts.java draws them. */
export const LINE_COLORS = { read: '#1676f3', write: '#e8590c', p50: '#2f9e44', p99: '#e8590c', p999: '#c92a2a' } as const;

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

  /**
   * How many pixels of the chart's canvas are drawn in a line's colour ("#rrggbb"): uPlot draws the
   * lines (and the grid and axes, in greys) on the canvas, so a chart that failed to draw, or drew
   * only its legend, has none. Anti-aliased edges are counted too, within a small tolerance.
   */
  static async linePixels(chart: Locator, color: string): Promise<number> {
    return chart.evaluate((element, hex) => {
      const canvas = element.querySelector('canvas');
      if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
      const wanted = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 200 && wanted.every((channel, c) => Math.abs(pixels[i + c] - channel) <= 24)) count++;
      }
      return count;
    }, color);
  }

  static async state(chart: Locator): Promise<ChartState> {
    return chart.evaluate((element) => {
      const live = element as unknown as ChartState;
      return { lastTime: live.lastTime, lastValues: [...live.lastValues] };
    });
  }
}
