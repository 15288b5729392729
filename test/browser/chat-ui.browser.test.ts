import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { describeAppInChromium } from '../support/browser.js';
import { saveScreenshotsToDocs } from '../support/services.js';

/**
 * The browser chat at GET / in real headless Chromium: two pages, two users. One page goes
 * offline (DevTools network emulation) while the other sends; back online it shows every
 * message once, in order, and what it wrote while offline reaches the other page.
 */
describeAppInChromium('browser chat in Chromium', (running) => {
  const openPage = async (): Promise<Page> => {
    const context = await running.chromium.browser.createBrowserContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${running.server.httpUrl}/`);
    return page;
  };

  const signIn = async (page: Page, username: string, mode: 'login' | 'register') => {
    await page.type('#auth-form input[name=username]', username);
    await page.type('#auth-form input[name=password]', 'correct horse battery');
    await page.click(`#auth-form button[value=${mode}]`);
    await page.waitForSelector('#chat:not([hidden])');
    await page.waitForSelector('#status[data-state=online]');
  };

  const shown = (page: Page) =>
    page.$$eval('#messages li', (items) =>
      items.map((item) => `${item.querySelector('.sender')?.textContent}: ${item.querySelector('.body')?.textContent}`),
    );

  const waitForCount = (page: Page, count: number) =>
    page.waitForFunction(
      (n: number) => document.querySelectorAll('#messages li').length >= n,
      { timeout: 20_000 },
      count,
    );

  const createRoom = async (page: Page, name: string) => {
    await page.type('#new-room input[name=name]', name);
    await page.click('#new-room button');
    await page.waitForFunction(
      (title: string) => document.querySelector('#room-title')?.textContent === title,
      {},
      name,
    );
  };

  const openRoom = async (page: Page, name: string) => {
    // Clicked inside the page in one step: the room list re-renders when rooms change, and a
    // click through an element handle found before a re-render hits a detached node.
    const button = `#room-list button[data-name="${name}"]`;
    await page.waitForSelector(button);
    await page.$eval(button, (element) => (element as HTMLButtonElement).click());
    await page.waitForFunction(
      (title: string) => document.querySelector('#room-title')?.textContent === title,
      {},
      name,
    );
  };

  const say = async (page: Page, text: string) => {
    await page.type('#draft', text);
    await page.keyboard.press('Enter');
  };

  it('serves the page and its bundle from the app itself, with a strict content policy', async () => {
    const page = await fetch(`${running.server.httpUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('/web/app.js');
    const bundle = await fetch(`${running.server.httpUrl}/web/app.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    const missing = await fetch(`${running.server.httpUrl}/web/secrets.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('shows every message once, in order, after a page was offline', async () => {
    const bob = await openPage();
    await signIn(bob, 'bob', 'register');
    const alice = await openPage();
    await signIn(alice, 'alice', 'register');

    await createRoom(alice, 'general');
    await alice.type('#add-member input[name=username]', 'bob');
    await alice.click('#add-member button');
    await say(alice, 'hi bob');
    await waitForCount(alice, 1);
    await alice.waitForFunction(() => document.querySelector('#presence')?.textContent === 'Online: alice, bob');
    await createRoom(alice, 'random');
    await alice.type('#add-member input[name=username]', 'bob');
    await alice.click('#add-member button');
    await openRoom(alice, 'general');

    // Bob's page learns of the new room when it comes back (here: a reload and a fresh login).
    await bob.reload();
    await signIn(bob, 'bob', 'login');
    await openRoom(bob, 'general');
    await waitForCount(bob, 1);

    await bob.type('#draft', 'typing…');
    await alice.waitForFunction(() => document.querySelector('#typing')?.textContent?.includes('bob is typing'), {
      timeout: 10_000,
    });
    await bob.$eval('#draft', (input) => ((input as HTMLInputElement).value = ''));

    await bob.setOfflineMode(true);
    await bob.waitForSelector('#status[data-state=reconnecting]', { timeout: 30_000 });
    for (let n = 1; n <= 5; n++) await say(alice, `while you were away ${n}`);
    await say(bob, 'written offline');
    await bob.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('waiting to send'));
    await waitForCount(alice, 6);

    await bob.setOfflineMode(false);
    await bob.waitForSelector('#status[data-state=online]', { timeout: 30_000 });
    await waitForCount(bob, 7);
    await waitForCount(alice, 7);
    await new Promise((resolve) => setTimeout(resolve, 500)); // anything shown twice would show now

    const expected = [
      'alice: hi bob',
      ...[1, 2, 3, 4, 5].map((n) => `alice: while you were away ${n}`),
      'bob: written offline',
    ];
    expect(await shown(bob)).toEqual(expected);
    expect(await shown(alice)).toEqual(expected);
    await say(bob, 'back online, got all five');
    await waitForCount(alice, 8);
    await waitForCount(bob, 8);

    // A message in the other room shows up as unread on bob's side.
    await openRoom(alice, 'random');
    await say(alice, 'lunch at noon?');
    await bob.waitForSelector('#room-list button[aria-label="random, 1 unread"]');
    await openRoom(alice, 'general');
    await bob.screenshot({ path: screenshotPath('browser-chat.png') });
  }, 90_000);
});

function screenshotPath(name: string): `${string}.png` {
  const directory = saveScreenshotsToDocs()
    ? fileURLToPath(new URL('../../docs/', import.meta.url))
    : mkdtempSync(join(tmpdir(), 'chat-screens-'));
  return join(directory, name) as `${string}.png`;
}
