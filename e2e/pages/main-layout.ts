import { expect, type Locator, type Page } from '@playwright/test';
import { waitForVaadin } from '../support/vaadin.js';

/** The frame around every signed-in view: side navigation, the view's title and the user menu. */
export class MainLayout {
  readonly navigation: Locator;
  readonly userMenu: Locator;

  constructor(private readonly page: Page) {
    this.navigation = page.getByRole('navigation', { name: 'Main navigation' });
    this.userMenu = page.getByRole('menuitem', { name: /^User menu/ });
  }

  navLink(name: string): Locator {
    return this.navigation.getByRole('link', { name, exact: true });
  }

  async navigateTo(name: string): Promise<void> {
    await this.navLink(name).click();
    await waitForVaadin(this.page);
  }

  async expectSignedInAs(username: string): Promise<void> {
    await expect(this.userMenu).toBeVisible();
    await expect(this.userMenu).toContainText(username);
  }

  async openAccount(): Promise<void> {
    await this.userMenu.click();
    await this.page.getByRole('menuitem', { name: 'Your account' }).click();
    await this.page.waitForURL(/\/account$/);
    await waitForVaadin(this.page);
  }

  async signOut(): Promise<void> {
    await this.userMenu.click();
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click();
    await this.page.waitForURL(/\/login/);
    await waitForVaadin(this.page);
  }
}
