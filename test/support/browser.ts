import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromiumPath } from './services.js';

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
