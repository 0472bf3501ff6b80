/**
 * Starts one Windrose server for the whole run and hands its address and the administrator's
 * password to the tests through the environment (workers inherit it). The returned function is
 * Playwright's global teardown: it stops the server and removes its data directory.
 */
import { randomBytes } from 'node:crypto';
import { startServer } from './support/server.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startServer();
  process.env.WINDROSE_BASE_URL = server.baseURL;
  // A fresh strong password per run: the first-run test creates the admin with it.
  process.env.WINDROSE_E2E_ADMIN_PASSWORD = `Wr-${randomBytes(12).toString('base64url')}`;
  console.log(`Windrose under test: ${server.baseURL} (data in ${server.dataDir})`);
  return server.stop;
}
