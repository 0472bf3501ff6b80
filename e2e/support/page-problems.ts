/**
 * Every test fails when a page it opened threw an uncaught exception or logged a console error.
 *
 * A chart that throws in the browser leaves the server side green and the page looking half right:
 * only the browser knows. So the base `test` of every spec watches every browser context a test
 * uses — the default one and any it makes with `browser.newContext()` — and asserts, after the test,
 * that none of their pages reported a problem. A test that provokes one on purpose says so with
 * `pageProblems.expect(/pattern/)`: the problem must then occur, and only that one is forgiven.
 */
import { test as base, expect, type BrowserContext, type ConsoleMessage, type WebError } from '@playwright/test';

export class PageProblems {
  private readonly seen: string[] = [];
  private readonly expected: RegExp[] = [];
  private readonly tolerated: RegExp[] = [];

  watch(context: BrowserContext): void {
    context.on('weberror', (error: WebError) => this.seen.push(describeError(error)));
    context.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') this.seen.push(describeConsole(message));
    });
  }

  /** A problem this test provokes on purpose (e.g. opening an unknown page, which answers 404). */
  expect(pattern: RegExp): void {
    this.expected.push(pattern);
  }

  /**
   * A known bug that is not this test's subject and not fixed yet: forgiven whether it occurs or not.
   * Name the bug in a comment beside the call; remove the call with the fix.
   */
  tolerate(pattern: RegExp): void {
    this.tolerated.push(pattern);
  }

  get unexpected(): string[] {
    return this.seen.filter((problem) => ![...this.expected, ...this.tolerated].some((pattern) => pattern.test(problem)));
  }

  get missing(): RegExp[] {
    return this.expected.filter((pattern) => !this.seen.some((problem) => pattern.test(problem)));
  }

  get all(): readonly string[] {
    return this.seen;
  }
}

function describeError(error: WebError): string {
  const thrown = error.error();
  return `uncaught ${thrown.stack ?? `${thrown.name}: ${thrown.message}`}\n  on ${error.page()?.url() ?? 'a closed page'}`;
}

function describeConsole(message: ConsoleMessage): string {
  const where = message.location();
  const source = where.url ? ` (${where.url}:${where.lineNumber}:${where.columnNumber})` : '';
  return `console error: ${message.text()}${source}\n  on ${message.page()?.url() ?? 'a closed page'}`;
}

export const test = base.extend<{ pageProblems: PageProblems }>({
  pageProblems: [
    async ({ browser, context }, use, testInfo) => {
      const problems = new PageProblems();
      problems.watch(context);
      // Contexts a test makes itself (a second user, a server of its own) are watched as well.
      const newContext = browser.newContext;
      browser.newContext = async (...options) => {
        const made = await newContext.apply(browser, options);
        problems.watch(made);
        return made;
      };
      try {
        await use(problems);
      } finally {
        browser.newContext = newContext;
      }
      if (problems.all.length > 0) {
        await testInfo.attach('page problems', { body: problems.all.join('\n\n'), contentType: 'text/plain' });
      }
      expect(problems.unexpected, 'uncaught exceptions or console errors in the browser (see the attachment)').toEqual([]);
      expect(problems.missing, 'problems the test expected to provoke').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
