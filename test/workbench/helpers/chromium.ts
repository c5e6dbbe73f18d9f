import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { startTipLab, type TipLab } from '../../exchange/helpers/tip-lab.js';

/** Debian's Chromium; `.ci/run` installs it. The browser tests skip, saying so, when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = (): string | false =>
  existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does it): the workbench's browser tests cannot run`;

/** Where screenshots go (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/workbench/', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** A page that records console errors, page errors, failed requests and any request off the lab. */
  page(): Promise<{ page: Page; problems: () => string[] }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Real headless Chromium, driven by playwright-core, with a fresh profile (user data dir). Every
 * request that does not go to the lab is refused and reported: the workbench must need nothing
 * from the network.
 */
export async function launchChromium(labUrl: string): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'tti-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 900 },
  });
  const offLab: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${labUrl}/`) || url.startsWith('data:')) return route.continue();
    offLab.push(url);
    return route.abort();
  });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    context,
    async page() {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`));
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
      });
      return { page, problems: () => [...problems, ...offLab.map((u) => `off-lab request: ${u}`)] };
    },
    async screenshot(page, name) {
      const file = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface Workbench {
  tip: TipLab;
  browser: Browser;
  /** `<lab>/workbench/<path>`. */
  url(path: string): string;
}

/**
 * Starts a TIP lab and Chromium on it, closes both at the end of `t`, and gives them to `body`;
 * when Chromium is missing, skips `t` saying why. Each browser test file is one call; `config`
 * goes to startTipLab (over its defaults, e.g. more aws.roles).
 */
export async function withWorkbench(t: Test, body: (w: Workbench) => void | Promise<void>, opts: { config?: Record<string, unknown> } = {}): Promise<void> {
  const missing = chromiumMissing();
  if (missing) {
    t.skip(missing, () => {});
    return;
  }
  const tip = await startTipLab(opts.config ? { config: opts.config } : {});
  const browser = await launchChromium(tip.lab.url);
  t.teardown(async () => {
    await browser.close();
    await tip.lab.close();
  });
  await body({ tip, browser, url: (path) => `${tip.lab.url}/workbench/${path}` });
}
