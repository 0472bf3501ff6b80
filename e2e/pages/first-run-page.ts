import { expect, type Locator, type Page } from '@playwright/test';
import type { Credentials } from '../support/api.js';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The first-run page at /setup that creates the first administrator. */
export class FirstRunPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly confirmation: Locator;
  readonly create: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Welcome to Windrose', level: 1 });
    this.username = page.getByLabel('Administrator username');
    this.password = page.getByLabel('Password', { exact: true });
    this.confirmation = page.getByLabel('Repeat the password');
    this.create = page.getByRole('button', { name: 'Create administrator' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/setup');
    await this.expectShown();
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/setup$/);
    await expect(this.create).toBeVisible();
  }

  async submit(credentials: Credentials, confirmation = credentials.password): Promise<void> {
    await this.username.fill(credentials.username);
    await this.password.fill(credentials.password);
    await this.confirmation.fill(confirmation);
    await this.create.click();
    await waitForVaadin(this.page);
  }

  /** The message Vaadin shows under the password field when it is refused. */
  passwordError(): Locator {
    return this.page.locator('vaadin-password-field[invalid] [slot="error-message"]').first();
  }
}
