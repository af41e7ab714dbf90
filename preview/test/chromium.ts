// Debian's Chromium (/usr/bin/chromium, installed by scripts/setup-system.sh), headless, driven by
// playwright-core. The background-networking flags matter on a closed network: without them
// Chromium keeps opening connections that are refused. Playwright gives every launch a fresh
// profile folder.
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
