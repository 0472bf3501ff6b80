import { expect, type Locator, type Page } from '@playwright/test';
import { openView, waitForVaadin } from '../support/vaadin.js';

export type RoleName = 'Admin' | 'Operator' | 'Viewer';
const ALL_ROLES: RoleName[] = ['Admin', 'Operator', 'Viewer'];

/** The administrators' user management at /users. */
export class UsersPage {
  readonly newUser: Locator;
  readonly grid: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.newUser = page.getByRole('button', { name: 'New user' });
    this.grid = page.getByRole('treegrid').or(page.getByRole('grid')).first();
    this.dialog = page.getByRole('dialog', { name: 'New user' });
  }

  async open(): Promise<void> {
    await openView(this.page, '/users');
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/users$/);
    await expect(this.newUser).toBeVisible();
  }

  async createUser(username: string, password: string, roles: RoleName[]): Promise<void> {
    await this.newUser.click();
    // The vaadin-dialog host has no box of its own: its fields are what shows.
    await expect(this.dialog.getByLabel('Username')).toBeVisible();
    await this.dialog.getByLabel('Username').fill(username);
    await this.dialog.getByLabel('Password', { exact: true }).fill(password);
    for (const role of ALL_ROLES) {
      await this.dialog.getByRole('checkbox', { name: role }).setChecked(roles.includes(role));
    }
    await this.dialog.getByRole('button', { name: 'Create user' }).click();
    await waitForVaadin(this.page);
  }

  /** Opens the roles dialog of a user, sets exactly these roles and saves. */
  async changeRoles(username: string, roles: RoleName[]): Promise<Locator> {
    await this.page.getByRole('button', { name: `Change the roles of ${username}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: `Roles of ${username}` });
    await expect(dialog.getByRole('checkbox', { name: 'Admin' })).toBeVisible();
    for (const role of ALL_ROLES) {
      await dialog.getByRole('checkbox', { name: role }).setChecked(roles.includes(role));
    }
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await waitForVaadin(this.page);
    return dialog;
  }

  async setPassword(username: string, password: string): Promise<void> {
    await this.page.getByRole('button', { name: `Set a new password for ${username}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: `New password for ${username}` });
    await expect(dialog.getByLabel('New password')).toBeVisible();
    await dialog.getByLabel('New password').fill(password);
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await waitForVaadin(this.page);
    await expect(dialog).toHaveCount(0);
  }

  /** The grid cell holding a user's name (Vaadin renders cell content in the light DOM). */
  userCell(username: string): Locator {
    return this.page.getByRole('gridcell', { name: username, exact: true });
  }

  rolesOf(username: string): Locator {
    return this.page.getByRole('list', { name: `Roles of ${username}` });
  }

  async expectListed(username: string): Promise<void> {
    await expect(this.userCell(username)).toBeVisible();
  }
}
