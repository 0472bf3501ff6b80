import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The signed-in user's API tokens at /tokens. */
export class ApiTokensPage {
  readonly name: Locator;
  readonly expiry: Locator;
  readonly create: Locator;
  readonly createdDialog: Locator;

  constructor(private readonly page: Page) {
    this.name = page.getByLabel('Token name');
    this.expiry = page.getByLabel('Expires in');
    this.create = page.getByRole('button', { name: 'Create token' });
    this.createdDialog = page.getByRole('dialog', { name: 'Your new API token' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/tokens');
    await expect(this.create).toBeVisible();
  }

  /** Creates a token and returns its plaintext, read from the dialog that shows it once. */
  async createToken(name: string, expiry: string): Promise<string> {
    await this.name.fill(name);
    await this.expiry.click();
    await this.page.getByRole('option', { name: expiry, exact: true }).click();
    await this.create.click();
    await waitForVaadin(this.page);
    const secret = this.createdDialog.getByLabel('Token', { exact: true });
    await expect(secret).toBeVisible();
    const plaintext = await secret.inputValue();
    expect(plaintext, 'the dialog shows the token').not.toBe('');
    return plaintext;
  }

  async copyCreatedToken(): Promise<void> {
    await this.createdDialog.getByRole('button', { name: 'Copy the token' }).click();
    await waitForVaadin(this.page);
  }

  async closeCreatedDialog(): Promise<void> {
    await this.createdDialog.getByRole('button', { name: 'Done' }).click();
    await expect(this.createdDialog).toHaveCount(0);
  }

  tokenCell(name: string): Locator {
    return this.page.getByRole('gridcell', { name, exact: true });
  }

  /** The grid row of a token; its accessible name is the row's text: name, prefix, status, dates. */
  row(name: string): Locator {
    return this.page.getByRole('row').filter({ has: this.tokenCell(name) });
  }

  revokeButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Revoke ${name}`, exact: true });
  }

  async revoke(name: string): Promise<void> {
    await this.revokeButton(name).click();
    const confirm = this.page.getByRole('alertdialog').or(this.page.getByRole('dialog', { name: /Revoke/ }));
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await waitForVaadin(this.page);
  }
}
