/**
 * The digest e-mails in a real browser engine: a realistic district digest (thirty milestones, long names,
 * six competencies, suppressed cells) and a roll-up of eight districts, at a desktop client's 600 px and a
 * phone's 375 px. Nothing may be wider than the phone's screen (no sideways scrolling).
 *
 * Needs a Chromium: CHROMIUM_PATH, else /usr/bin/chromium (Debian's `chromium`, which .ci/run installs).
 * EMAIL_SCREENSHOTS=dir saves a full-page screenshot of each e-mail at each width there, to look at.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistrictDigest, buildStateRollup } from '../../shared/domain/digest';
import { renderDistrictDigest, renderStateRollup } from '../../shared/email';
import { realisticDigestInput, rollupInput } from '../support/digest-fixtures';

const WIDTHS = [600, 375] as const;
const screenshotDir = process.env.EMAIL_SCREENSHOTS ? resolve(process.env.EMAIL_SCREENSHOTS) : undefined;

const emails = {
  'district-digest': renderDistrictDigest(buildDistrictDigest(realisticDigestInput())).html,
  'state-rollup': renderStateRollup(buildStateRollup(rollupInput())).html,
};

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  if (screenshotDir) await mkdir(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly clientWidth: number;
  readonly scrollWidth: number;
  getBoundingClientRect(): { readonly right: number; readonly width: number };
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}

interface PageDocument {
  readonly documentElement: PageElement;
  readonly body: PageElement;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}

interface Layout {
  readonly scrollWidth: number;
  /** Elements whose right edge lies beyond the viewport, described by tag and the start of their text. */
  readonly overflowing: readonly string[];
  readonly barCells: number;
}

describe.each(Object.entries(emails))('the %s e-mail', (name, html) => {
  it.each(WIDTHS)('fits a %i px wide screen', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    try {
      // offline: the e-mail has no remote resources, and a test must not reach the network
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });

      const layout = await page.evaluate((): Layout => {
        // runs in the page; the project's type library has no DOM, so the little used of it is declared here
        const { document } = globalThis as unknown as { document: PageDocument };
        const viewport = document.documentElement.clientWidth;
        const overflowing = [...document.body.querySelectorAll('*')]
          .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && (box.right > viewport + 0.5 || box.width > viewport + 0.5);
          })
          .map(
            (element) =>
              `${element.tagName.toLowerCase()}: ${(element.textContent ?? '').trim().slice(0, 40)}`,
          );
        const barCells = document.querySelectorAll('td[bgcolor="#1f7a4d"]').length;
        return { scrollWidth: document.documentElement.scrollWidth, overflowing, barCells };
      });
      if (screenshotDir) {
        await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`), fullPage: true });
      }

      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.overflowing).toEqual([]);
      expect(layout.barCells).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
