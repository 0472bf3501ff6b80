/**
 * A small client for the Windrose REST API (/api/v1), used by fixtures to create the data a test
 * needs and to remove it afterwards, and by tests to check what the API answers.
 */
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';

export interface Credentials {
  username: string;
  password: string;
}

export interface IssuedToken {
  token: string;
  name: string;
}

export class WindroseApi {
  constructor(private readonly request: APIRequestContext) {}

  /** POST /api/v1/auth/tokens: exchanges a user's credentials for a bearer token (shown once). */
  async issueToken(credentials: Credentials, name: string, expiresInDays = 1): Promise<IssuedToken> {
    const response = await this.request.post('/api/v1/auth/tokens', {
      data: { ...credentials, name, expiresInDays },
    });
    await expectStatus(response, 201, 'issue an API token');
    const body = await response.json();
    expect(typeof body.secret, 'the issued token is in the answer').toBe('string');
    return { token: body.secret, name };
  }

  whoami(token?: string): Promise<APIResponse> {
    return this.request.get('/api/v1/auth/whoami', { headers: bearer(token) });
  }

  listUsers(token?: string): Promise<APIResponse> {
    return this.request.get('/api/v1/users', { headers: bearer(token) });
  }

  /** POST /api/v1/users (admin): a user for a test; register it with removeAfterTest. */
  async createUser(adminToken: string, credentials: Credentials, roles: Array<'ADMIN' | 'OPERATOR' | 'VIEWER'>): Promise<void> {
    const response = await this.request.post('/api/v1/users', {
      headers: bearer(adminToken),
      data: { ...credentials, roles },
    });
    await expectStatus(response, 201, `create user ${credentials.username}`);
  }

  async findUserId(adminToken: string, username: string): Promise<string | undefined> {
    const response = await this.listUsers(adminToken);
    await expectStatus(response, 200, 'list users');
    const users: Array<{ id: unknown; username: string }> = await response.json();
    const user = users.find((candidate) => candidate.username === username);
    return user === undefined ? undefined : String(user.id);
  }

  async deleteUser(adminToken: string, username: string): Promise<void> {
    const id = await this.findUserId(adminToken, username);
    if (id === undefined) return;
    const response = await this.request.delete(`/api/v1/users/${encodeURIComponent(id)}`, {
      headers: bearer(adminToken),
    });
    await expectStatus(response, 204, `delete user ${username}`);
  }

  async revokeOwnTokenNamed(token: string, name: string): Promise<void> {
    const list = await this.request.get('/api/v1/tokens', { headers: bearer(token) });
    await expectStatus(list, 200, 'list own tokens');
    const tokens: Array<{ id: unknown; name: string }> = await list.json();
    for (const own of tokens.filter((candidate) => candidate.name === name)) {
      const response = await this.request.delete(`/api/v1/tokens/${encodeURIComponent(String(own.id))}`, {
        headers: bearer(token),
      });
      await expectStatus(response, 204, `revoke token ${name}`);
    }
  }
}

export function bearer(token?: string): Record<string, string> {
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}

async function expectStatus(response: APIResponse, status: number, what: string): Promise<void> {
  if (response.status() !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${response.status()}: ${await response.text()}`);
  }
}
