import { expect, type Locator, type Page } from '@playwright/test';
import { openView } from '../support/vaadin.js';
import { ObjectCharts } from './object-charts.js';

/**
 * The landing page at / after sign-in (the dashboard): health and capacity, the cluster's live
 * charts with the top namespaces and reactor busy %, and this node's facts.
 */
export class OverviewPage {
  readonly clusterCharts: ObjectCharts;
  readonly topByIops: Locator;
  readonly topByLatency: Locator;
  readonly reactorBusy: Locator;
  readonly poolCapacity: Locator;
  readonly heading: Locator;
  readonly dataplaneVersion: Locator;
  readonly signedInUser: Locator;
  readonly roles: Locator;
  readonly targetState: Locator;
  readonly discoveryListener: Locator;
  readonly reactorThreads: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Dashboard', level: 1 });
    this.clusterCharts = new ObjectCharts(page, 'cluster', 'Cluster');
    this.topByIops = page.getByRole('list', { name: 'Top namespaces by IOPS' });
    this.topByLatency = page.getByRole('list', { name: 'Top namespaces by p99 latency' });
    this.reactorBusy = page.getByRole('img', { name: 'Reactor busy percent' });
    this.poolCapacity = page.getByLabel('Pool capacity');
    this.dataplaneVersion = page.getByLabel('Dataplane library version');
    this.signedInUser = page.getByLabel('Signed in as');
    this.roles = page.getByLabel('Roles');
    this.targetState = page.getByLabel('State');
    this.discoveryListener = page.getByLabel('Discovery listener');
    this.reactorThreads = page.getByLabel('Reactor threads');
  }

  async open(): Promise<void> {
    await openView(this.page, '/');
    await this.expectShown();
  }

  async expectShown(): Promise<void> {
    await expect(this.heading).toBeVisible();
  }

  shortcut(name: string): Locator {
    return this.page.getByRole('main').getByRole('link', { name });
  }
}
