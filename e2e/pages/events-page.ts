import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/**
 * The events view at /events: a grid named "Events" (Severity, Rule, Object, What happened, State,
 * Raised, Acknowledged / cleared, and for operators an Acknowledge button per open event), a "Show"
 * filter, and the header's bell (a link named "No open events", "1 open event", "N open events").
 */
export class EventsPage {
  readonly grid: Locator;
  readonly show: Locator;
  readonly badge: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByRole('treegrid', { name: 'Events' });
    this.show = page.getByRole('combobox', { name: 'Show' });
    this.badge = page.locator('a.events-badge');
  }

  async open(): Promise<void> {
    await openView(this.page, '/events');
    await expect(this.grid).toBeVisible();
  }

  /** The rows about one object (its name as the Object column shows it) for one rule. */
  row(objectName: string, rule: string): Locator {
    return this.grid.getByRole('row')
      .filter({ has: this.page.getByRole('gridcell', { name: objectName, exact: true }) })
      .filter({ has: this.page.getByRole('gridcell', { name: rule, exact: true }) });
  }

  /** The row's State cell when it reads as expected (open, acknowledged, cleared). */
  state(objectName: string, rule: string, state: string): Locator {
    return this.row(objectName, rule).getByRole('gridcell', { name: state, exact: true });
  }

  /**
   * The texts of the row's cells, left to right. A Vaadin grid cell shows light-DOM content through a
   * slot, so the text is read from what the slot shows (the row's own text is empty).
   */
  async rowTexts(objectName: string, rule: string): Promise<string[]> {
    return this.row(objectName, rule).first().getByRole('gridcell').evaluateAll((cells) =>
      cells.map((cell) => {
        const shown = Array.from(cell.querySelectorAll('slot')).flatMap((slot) => slot.assignedElements({ flatten: true }));
        return (shown.length > 0 ? shown.map((element) => element.textContent ?? '').join('') : cell.textContent ?? '').trim();
      }));
  }

  /**
   * The row's Acknowledge button. It lives in the grid's light DOM and is only slotted into its cell,
   * so it is inside neither the row nor the treegrid (the grid's shadow table): it is found on the page
   * by its name, "Acknowledge: <what happened>".
   */
  async acknowledgeButton(objectName: string, rule: string): Promise<Locator> {
    const [, , , message] = await this.rowTexts(objectName, rule);
    return this.acknowledgeButtons(message);
  }

  /** Every Acknowledge button whose event's words are (or match) these. */
  acknowledgeButtons(message: string | RegExp): Locator {
    return this.page.getByRole('button', {
      name: typeof message === 'string' ? `Acknowledge: ${message}` : new RegExp(`^Acknowledge: ${message.source.replace(/^\^/, '')}`),
      exact: typeof message === 'string',
    });
  }

  async acknowledge(objectName: string, rule: string): Promise<void> {
    await (await this.acknowledgeButton(objectName, rule)).click();
    await waitForVaadin(this.page);
  }
}
