import type { Page } from '@playwright/test';

interface FlowClient {
  isActive?: () => boolean;
}
type VaadinWindow = Window & { Vaadin?: { Flow?: { clients?: Record<string, FlowClient> } } };

/**
 * Waits until the Vaadin Flow client has booted and has no server round trip in flight, so a test
 * never acts on a view that is still being built or updated.
 */
export async function waitForVaadin(page: Page): Promise<void> {
  // A first view after sign-in can take well over the 10 s action timeout on a machine shared by many
  // builds; this waits for the client, it asserts nothing.
  await page.waitForFunction(() => {
    const clients = (window as VaadinWindow).Vaadin?.Flow?.clients;
    if (!clients) return false;
    const all = Object.values(clients);
    return all.length > 0 && all.every((client) => typeof client.isActive === 'function' && !client.isActive());
  }, undefined, { timeout: 30_000 });
}

/** Navigates to a console path and waits for Vaadin to settle. */
export async function openView(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForVaadin(page);
}
