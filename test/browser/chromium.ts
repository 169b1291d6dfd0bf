// Shared launcher for the browser tests: Debian's Chromium driven by playwright-core.
//
// Chromium is expected at /usr/bin/chromium (`apt-get install chromium`; CI installs it). When it is missing the
// Chromium tests are skipped with a message, except under CI (`CI` set), where they run and fail: CI must have it.
// The flags keep Chromium off the network (this machine has none but loopback) and quiet at start-up.

import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium. AMPS_TS_CHROMIUM overrides the path (e.g. to check the skip/fail logic). */
export const CHROMIUM_PATH = process.env.AMPS_TS_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Bound on launching Chromium (a cold start on a busy 2-core machine takes a few seconds). */
export const LAUNCH_TIMEOUT_MS = 15_000;

export const chromiumPresent = existsSync(CHROMIUM_PATH);
export const inCI = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

/** True when the Chromium tests must be skipped: no Chromium and not under CI. Use with `it.skipIf(skipChromium)`. */
export const skipChromium = !chromiumPresent && !inCI;

/** Appended to Chromium test titles so a skipped run says why. */
export const chromiumNote = skipChromium ? ` [skipped: no Chromium at ${CHROMIUM_PATH}; apt-get install chromium]` : '';

if (skipChromium) {
  console.warn(`test/browser: Chromium not found at ${CHROMIUM_PATH}: the browser tests are skipped (apt-get install chromium; under CI they fail).`);
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPresent) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. CI must install it (apt-get install chromium, see .ci/run); ` +
        'locally the browser tests are skipped without it.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: LAUNCH_TIMEOUT_MS });
}

/** Runs `fn` with a fresh browser and page; always closes the browser. Page errors are collected in `errors`. */
export async function withPage<T>(fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    });
    return await fn(page, errors);
  } finally {
    await browser.close().catch(() => undefined);
  }
}
