/**
 * <wr-live-chart>: a time-series line chart over uPlot, fed by the server.
 *
 * The server sends the whole window once (setData) and then one point per sample (appendPoint), so a
 * busy dashboard moves a few dozen bytes a second per chart instead of the whole series. Points
 * older than the window are dropped here, in the browser, so the server never resends them.
 *
 * uPlot styles its legend and cursor with its own stylesheet (imported globally by the Java side
 * through @CssImport), so the chart renders into the light DOM instead of a shadow root.
 */
import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';

/** One line: its label, and whether it reads on the right-hand axis (e.g. latency beside IOPS). */
interface SeriesSpec {
  label: string;
  color: string;
}

@customElement('wr-live-chart')
export class WrLiveChart extends LitElement {
  /** Unit shown on the axis and in the legend, e.g. "IOPS", "MiB/s", "µs". */
  @property() unit = '';

  /** How many seconds of points the chart keeps when appending; 0 keeps everything it is given. */
  @property({ type: Number, attribute: 'window-seconds' }) windowSeconds = 900;

  /** A logarithmic value axis: for latency, whose p99.9 can be a hundred times its p50. */
  @property({ type: Boolean, attribute: 'log-scale' }) logScale = false;

  /** Height of the plotting area in CSS pixels. */
  @property({ type: Number, attribute: 'plot-height' }) plotHeight = 180;

  private series: SeriesSpec[] = [];
  private times: number[] = [];
  private values: Array<Array<number | null>> = [];
  private plot?: uPlot;
  private resizeObserver?: ResizeObserver;
  private redrawPending = false;

  protected createRenderRoot(): HTMLElement {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    // The plot takes the width it is given: let the container decide it, never the plot's content.
    this.style.display = 'block';
    this.style.minWidth = '0';
    this.style.overflow = 'hidden';
    this.resizeObserver = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.resizeObserver.observe(this);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  protected render() {
    return html`<div class="wr-live-chart-plot"></div>`;
  }

  protected updated(changed: PropertyValues): void {
    // The first render also builds the plot: setSeries may have come before there was a place to draw.
    if (!this.plot || changed.has('unit') || changed.has('plotHeight') || changed.has('logScale')) this.rebuild();
  }

  /** Names the lines (and so resets the chart): called once before any data. */
  setSeries(series: SeriesSpec[]): void {
    this.series = series;
    this.values = series.map(() => []);
    this.times = [];
    this.rebuild();
  }

  /**
   * Replaces every point: times in epoch seconds, one array of values per series (null where a value
   * is absent, e.g. latency over an interval without I/O, which leaves a gap instead of a false 0).
   */
  setData(times: number[], values: Array<Array<number | null>>): void {
    this.times = [...times];
    this.values = this.series.map((_, i) => [...(values[i] ?? times.map(() => null))]);
    this.redraw();
  }

  /** Adds one point at the right and drops the points that left the window. */
  appendPoint(time: number, values: Array<number | null>): void {
    this.times.push(time);
    this.series.forEach((_, i) => this.values[i].push(values[i] ?? null));
    if (this.windowSeconds > 0) {
      const oldest = time - this.windowSeconds;
      let drop = 0;
      while (drop < this.times.length && this.times[drop] < oldest) drop++;
      if (drop > 0) {
        this.times.splice(0, drop);
        this.values.forEach((line) => line.splice(0, drop));
      }
    }
    this.redraw();
  }

  /** How many points the chart holds (tests and the benchmark read it to see the chart move). */
  get pointCount(): number {
    return this.times.length;
  }

  /** The newest point's time in epoch milliseconds, 0 before the first one. */
  get lastTime(): number {
    return this.times.length === 0 ? 0 : this.times[this.times.length - 1] * 1000;
  }

  /** The newest point's values, one per line (null where absent); empty before the first point. */
  get lastValues(): Array<number | null> {
    return this.times.length === 0 ? [] : this.values.map((line) => line[line.length - 1] ?? null);
  }

  private redraw(): void {
    this.dataset.points = String(this.times.length);
    if (this.redrawPending) return;
    // Several appends in one push message (one per chart) draw once, on the next frame.
    this.redrawPending = true;
    requestAnimationFrame(() => {
      this.redrawPending = false;
      this.plot?.setData([this.times, ...this.values] as uPlot.AlignedData);
    });
  }

  private rebuild(): void {
    const target = this.querySelector<HTMLElement>('.wr-live-chart-plot');
    if (!target || this.series.length === 0) return;
    this.plot?.destroy();
    const unit = this.unit;
    const format = (value: number | null) => (value === null || value === undefined ? '–' : `${formatNumber(value)} ${unit}`);
    this.plot = new uPlot(
      {
        ...this.size(),
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          y: this.logScale ? { distr: 3, log: 10, range: (_u, min, max) => logRange(min, max) } : { range: (_u, _min, max) => [0, niceMax(max)] },
        },
        // uPlot thins a log axis' labels by passing null for the ticks it leaves unlabelled.
        axes: [
          { label: `Time (${ZONE})`, labelSize: 20, values: (_u, ticks) => timeLabels(ticks) },
          {
            label: unit,
            size: 60,
            // A log axis gets a line and a label per decade only: uPlot's 2..9 lines turn it into grey bands.
            ...(this.logScale ? { splits: (_u: uPlot, _axis: number, min: number, max: number) => decades(min, max) } : {}),
            values: (_u, ticks) => ticks.map((tick) => (tick === null || tick === undefined ? '' : formatNumber(tick))),
          },
        ],
        series: [
          { value: (_u: uPlot, time: number | null) => (time === null || time === undefined ? '–' : moment(time)) },
          ...this.series.map((spec) => ({ label: spec.label, stroke: spec.color, width: 1.5, spanGaps: false, value: (_u: uPlot, v: number | null) => format(v) })),
        ],
      },
      [this.times, ...this.values] as uPlot.AlignedData,
      target,
    );
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.clientWidth || 400), height: this.plotHeight };
  }
}

/** The browser's time zone, named on the time axis: the times shown are local to the reader. */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local time';

/** Powers of ten from min to max (a log axis' ticks). */
function decades(min: number | undefined, max: number | undefined): number[] {
  if (!min || !max || min <= 0 || max <= 0) return [1, 10, 100, 1000];
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)) && ticks.length < 30; exponent++) {
    const tick = 10 ** exponent;
    if (tick >= min * 0.999 && tick <= max * 1.001) ticks.push(tick);
  }
  return ticks;
}

const two = (n: number) => String(n).padStart(2, '0');

/** 24-hour times; the date (month-day, as in ISO) where the ticks span more than a day. */
function timeLabels(ticks: number[]): string[] {
  const span = ticks.length > 1 ? ticks[ticks.length - 1] - ticks[0] : 0;
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 60;
  return ticks.map((tick) => {
    if (tick === null || tick === undefined) return '';
    const at = new Date(tick * 1000);
    const clock = `${two(at.getHours())}:${two(at.getMinutes())}${step < 60 ? `:${two(at.getSeconds())}` : ''}`;
    return span > 86_400 ? `${two(at.getMonth() + 1)}-${two(at.getDate())} ${clock}` : clock;
  });
}

/** A moment in the legend: ISO date and 24-hour time to the second. */
function moment(seconds: number): string {
  const at = new Date(seconds * 1000);
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/** Axis top: a little above the highest point, at least 1 so an idle chart still has a scale. */
function niceMax(max: number | null): number {
  if (max === null || !Number.isFinite(max) || max <= 0) return 1;
  return max * 1.1;
}

/**
 * A log axis over whole decades around the data; 1 to 1000 while there is none (an idle namespace has
 * no latency at all), so the axis never asks for the logarithm of nothing or of zero.
 */
function logRange(min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max) || min <= 0 || max <= 0) return [1, 1000];
  return uPlot.rangeLog(min, max, 10, true);
}

/** 1.5M, 12k, 950, 9.5, 0.25, 0: as few digits as tell the value, no trailing zeros. */
function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trimZeros((value / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 1) return trimZeros(value.toFixed(1));
  if (abs === 0) return '0';
  return trimZeros(value.toPrecision(2));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

declare global {
  interface HTMLElementTagNameMap {
    'wr-live-chart': WrLiveChart;
  }
}
