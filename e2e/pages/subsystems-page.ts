import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The subsystems list at /subsystems and its "New subsystem" dialog. */
export class SubsystemsPage {
  readonly newSubsystem: Locator;
  readonly dialog: Locator;
  readonly nqn: Locator;
  readonly createButton: Locator;

  constructor(private readonly page: Page) {
    this.newSubsystem = page.getByRole('button', { name: 'New subsystem' });
    this.dialog = page.getByRole('dialog', { name: 'New subsystem' });
    this.nqn = this.dialog.getByRole('textbox', { name: 'NQN' });
    this.createButton = this.dialog.getByRole('button', { name: 'Create subsystem' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/subsystems');
    await expect(this.page.getByRole('treegrid')).toBeVisible();
  }

  async openCreateDialog(): Promise<void> {
    await this.newSubsystem.click();
    await expect(this.nqn).toBeVisible();
  }

  /** Types an NQN into the dialog; it is checked as it is typed. */
  async typeNqn(nqn: string): Promise<void> {
    await this.nqn.fill(nqn);
    await waitForVaadin(this.page);
  }

  /** Creates the subsystem whose NQN is in the dialog; the console then opens its detail page. */
  async create(): Promise<void> {
    await this.createButton.click();
    await this.page.waitForURL(/\/subsystems\/\d+$/);
    await waitForVaadin(this.page);
    await expect(this.dialog).toHaveCount(0);
  }

  link(nqn: string): Locator {
    return this.page.getByRole('link', { name: nqn, exact: true });
  }
}
