/**
 * The browser the console's end-to-end tests drive: Debian's Chromium
 * through playwright-core (which downloads nothing itself).
 */
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser is looked for: SWITCHYARD_CHROMIUM, else Debian's package. */
export const CHROMIUM = process.env.SWITCHYARD_CHROMIUM ?? '/usr/bin/chromium';

/** Starts a headless Chromium, or fails saying how to install one. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No browser at ${CHROMIUM}: the console's browser tests need Chromium. Install it with \`apt-get update && apt-get install -y chromium\` (Debian/Ubuntu), or set SWITCHYARD_CHROMIUM to a Chromium or Chrome binary.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
}
