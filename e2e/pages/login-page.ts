import { expect, type Locator, type Page } from '@playwright/test';
import type { Credentials } from '../support/api.js';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The sign-in page at /login (Vaadin LoginForm). */
export class LoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Log in' });
    // The LoginForm's error part: a heading and a message, shown when sign-in failed.
    this.error = page.locator('vaadin-login-form-wrapper [part="error-message"]');
  }

  async open(): Promise<void> {
    await openView(this.page, '/login');
    await expect(this.username).toBeVisible();
  }

  async signIn(credentials: Credentials): Promise<void> {
    await this.username.fill(credentials.username);
    await this.password.fill(credentials.password);
    await this.submit.click();
    await this.page.waitForLoadState();
    await waitForVaadin(this.page);
  }

  async expectError(text: RegExp | string): Promise<void> {
    await expect(this.error).toBeVisible();
    await expect(this.error).toContainText(text);
  }
}
