import { expect, it } from '@jest/globals';
import { describeAppInChromium } from '../support/browser.js';

/**
 * The Swagger UI at /docs in real headless Chromium: the page loads its assets from /docs/…,
 * fetches /docs-json (built on that first request, see app/src/http/openapi.ts) and lists the
 * API's operations.
 */
describeAppInChromium('API documentation page in Chromium', (running) => {
  it.each(['/docs', '/docs/'])(
    '%s shows the REST operations',
    async (path) => {
      const page = await running.chromium.browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      try {
        const response = await page.goto(`${running.server.httpUrl}${path}`);
        expect(response?.status()).toBe(200);
        await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
        const paths = await page.$$eval('.opblock-summary-path', (items) =>
          items.map((item) => item.getAttribute('data-path')),
        );
        expect(paths).toEqual(expect.arrayContaining(['/auth/login', '/rooms', '/rooms/{id}']));
        expect(await page.$eval('.info .title', (title) => title.textContent)).toContain('stomp-chat');
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
    60_000,
  );
});
