import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/**
 * One subsystem at /subsystems/{id}: its namespaces, listeners, allowed hosts and live connections,
 * the dialogs that add them, and the Connect panel.
 */
export class SubsystemDetailPage {
  readonly namespaces: Locator;
  readonly listeners: Locator;
  readonly allowedHosts: Locator;
  readonly connections: Locator;
  readonly attachVolume: Locator;
  readonly addListener: Locator;
  readonly allowHost: Locator;
  readonly deleteSubsystem: Locator;
  readonly allowAnyHost: Locator;
  readonly listenerDialog: Locator;
  readonly hostDialog: Locator;
  readonly namespaceDialog: Locator;
  readonly connectPanel: Locator;

  constructor(private readonly page: Page) {
    this.namespaces = page.getByRole('treegrid', { name: 'Namespaces' });
    this.listeners = page.getByRole('treegrid', { name: 'Listeners' });
    this.allowedHosts = page.getByRole('treegrid', { name: 'Allowed hosts' });
    this.connections = page.getByRole('treegrid', { name: 'Connections' });
    this.attachVolume = page.getByRole('button', { name: 'Attach volume' });
    this.addListener = page.getByRole('button', { name: 'Add listener' });
    this.allowHost = page.getByRole('button', { name: 'Allow host' });
    this.deleteSubsystem = page.getByRole('button', { name: 'Delete subsystem' });
    this.allowAnyHost = page.getByRole('checkbox', { name: 'Allow any host to connect' });
    this.namespaceDialog = page.getByRole('dialog', { name: 'Attach volume' });
    this.listenerDialog = page.getByRole('dialog', { name: 'Add listener' });
    this.hostDialog = page.getByRole('dialog', { name: 'Allow host' });
    this.connectPanel = page.locator('.connect-panel');
  }

  async open(id: number): Promise<void> {
    await openView(this.page, `/subsystems/${id}`);
    await expect(this.namespaces).toBeVisible();
  }

  /** The subsystem's id, from the address of the page. */
  id(): number {
    const match = /\/subsystems\/(\d+)$/.exec(new URL(this.page.url()).pathname);
    if (!match) throw new Error(`not on a subsystem page: ${this.page.url()}`);
    return Number(match[1]);
  }

  async attach(volumeName: string): Promise<void> {
    await this.attachVolume.click();
    // The dialog element itself has no size (its overlay shows the content): look at a field instead.
    await expect(this.namespaceDialog.getByLabel('Volume')).toBeVisible();
    await this.namespaceDialog.getByLabel('Volume').click();
    await this.page.getByRole('option', { name: new RegExp(`^${escape(volumeName)} \\(`) }).click();
    await waitForVaadin(this.page);
    await this.namespaceDialog.getByRole('button', { name: 'Attach', exact: true }).click();
    await waitForVaadin(this.page);
    await expect(this.namespaceDialog).toHaveCount(0);
  }

  /** Opens the listener dialog and types an address and a port; nothing is added yet. */
  async typeListener(address: string, port: number | string): Promise<void> {
    const addressField = this.listenerDialog.getByRole('textbox', { name: 'Address' });
    if (!(await addressField.isVisible())) {
      await this.addListener.click();
      await expect(addressField).toBeVisible();
    }
    await addressField.fill(address);
    await this.listenerDialog.getByRole('spinbutton', { name: 'Port' }).fill(String(port));
    await waitForVaadin(this.page);
  }

  get listenerAddButton(): Locator {
    return this.listenerDialog.getByRole('button', { name: 'Add', exact: true });
  }

  async submitListener(): Promise<void> {
    await this.listenerAddButton.click();
    await waitForVaadin(this.page);
  }

  /** Opens the host dialog and types a host NQN; nothing is allowed yet. */
  async typeHostNqn(hostNqn: string): Promise<void> {
    const hostField = this.hostDialog.getByRole('textbox', { name: 'Host NQN' });
    if (!(await hostField.isVisible())) {
      await this.allowHost.click();
      await expect(hostField).toBeVisible();
    }
    await hostField.fill(hostNqn);
    await waitForVaadin(this.page);
  }

  get hostAllowButton(): Locator {
    return this.hostDialog.getByRole('button', { name: 'Allow', exact: true });
  }

  async submitHost(): Promise<void> {
    await this.hostAllowButton.click();
    await waitForVaadin(this.page);
  }

  /** The read-only field holding a command of the Connect panel, e.g. "Linux: connect". */
  command(label: string): Locator {
    return this.connectPanel.getByRole('textbox', { name: label });
  }

  copyButton(label: string): Locator {
    return this.connectPanel.getByRole('button', { name: `Copy ${label}` });
  }

  /** A row of a grid holding the given text in one of its cells. */
  row(grid: Locator, text: string): Locator {
    return grid.getByRole('row').filter({ has: this.page.getByRole('gridcell', { name: text, exact: true }) });
  }

  /**
   * The state cell of a row when it reads as expected ("applied", or "failed" and the reason). A grid
   * row's own text is empty (its cells show slotted content), so the cell is found by its name.
   */
  state(grid: Locator, rowText: string, expected: RegExp): Locator {
    return this.row(grid, rowText).getByRole('gridcell', { name: expected });
  }

  /**
   * The texts of the cells of the grid's first row that holds the text, left to right. A Vaadin grid
   * cell shows light-DOM content through a slot, so the text is read from what the slot shows.
   */
  async rowTexts(grid: Locator, text: string): Promise<string[]> {
    return this.row(grid, text).first().getByRole('gridcell').evaluateAll((cells) =>
      cells.map((cell) => {
        const shown = Array.from(cell.querySelectorAll('slot')).flatMap((slot) => slot.assignedElements({ flatten: true }));
        return (shown.length > 0 ? shown.map((element) => element.textContent ?? '').join('') : cell.textContent ?? '').trim();
      }));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
