import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

/** The signed-in user's own account at /account (opened from the user menu). */
export class AccountPage {
  readonly current: Locator;
  readonly replacement: Locator;
  readonly repeat: Locator;
  readonly change: Locator;

  constructor(private readonly page: Page) {
    this.current = page.getByLabel('Current password');
    this.replacement = page.getByLabel('New password', { exact: true });
    this.repeat = page.getByLabel('Repeat the new password');
    this.change = page.getByRole('button', { name: 'Change password' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/account');
    await this.expectShown();
  }

  async expectShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
    await expect(this.change).toBeVisible();
  }

  async changePassword(current: string, replacement: string, repeat = replacement): Promise<void> {
    await this.current.fill(current);
    await this.replacement.fill(replacement);
    await this.repeat.fill(repeat);
    await this.change.click();
    await waitForVaadin(this.page);
  }

  /** The refusal shown under a field, e.g. "The current password is not correct." */
  errorOf(field: Locator): Locator {
    return field.locator('xpath=ancestor::vaadin-password-field[1]').locator('[slot="error-message"]');
  }
}
