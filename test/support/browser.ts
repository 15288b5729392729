import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from '@jest/globals';
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromiumPath, describeServiceUnavailable } from './services.js';
import { startTestApp, type RunningApp } from './test-app.js';

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Why the browser suites cannot run here, or undefined when Chromium is installed. */
export function chromiumUnavailable(): string | undefined {
  return existsSync(chromiumPath()) ? undefined : `no Chromium at ${chromiumPath()} (apt-get install chromium)`;
}

/** Headless Chromium on a fresh profile, with nothing of its own talking to the network. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'chat-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir: profile,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1100,700',
    ],
    defaultViewport: { width: 1100, height: 700 },
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a browser suite's tests use: the service and the browser, set once the suite started. */
export interface AppInChromium {
  readonly server: RunningApp;
  readonly chromium: LaunchedBrowser;
}

/**
 * A suite against the real service on its embedded default and headless Chromium, both started
 * once for the suite; without Chromium the suite is reported as skipped, with the reason.
 */
export function describeAppInChromium(suite: string, tests: (running: AppInChromium) => void): void {
  const unavailable = chromiumUnavailable();
  if (unavailable !== undefined) {
    describeServiceUnavailable(suite, 'Chromium', 'CHROMIUM_PATH', unavailable);
    return;
  }
  describe(suite, () => {
    const running = {} as { server: RunningApp; chromium: LaunchedBrowser };

    beforeAll(async () => {
      running.server = await startTestApp();
      running.chromium = await launchChromium();
    });

    afterAll(async () => {
      await running.chromium?.close();
      await running.server?.close();
    });

    tests(running);
  });
}
