import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

// Debian's Chromium, driven headless with everything that reaches out to the network turned off:
// the pages under test must work with the local servers as their only ones.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * `describe` when Chromium is installed; otherwise the block is skipped with a message naming what
 * is missing, except in CI (`CI` set), where a missing Chromium fails the run.
 */
export function chromiumDescribe(what: string): jest.Describe {
  const available = fs.existsSync(CHROMIUM);
  if (!available && process.env.CI) {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium) before npm test`);
  }
  if (!available) {
    process.stderr.write(`[browser] skipping ${what}: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
  }
  return available ? describe : describe.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
