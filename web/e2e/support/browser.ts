import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { repositoryRoot } from "../../../src/test-support/ledger.js";

/** Debian's chromium (`apt-get install -y chromium`); never a downloaded browser. */
export const chromiumPath = process.env.CIVIC_CHROMIUM ?? "/usr/bin/chromium";

/** Where the browser tests leave their screenshots (git-ignored; the README names it). */
export const screenshotFolder = join(repositoryRoot, "test-results", "screenshots");

/**
 * Without chromium the browser tests are skipped with a line saying so, except in CI
 * (CI=true), where a missing browser is a failure: CI must not pass without them.
 */
export const browserTests: "run" | "skip" | "fail" = existsSync(chromiumPath)
  ? "run"
  : process.env.CI === "true" || process.env.CI === "1"
    ? "fail"
    : "skip";

export function announceSkip(suite: string): void {
  if (browserTests !== "skip") return;
  console.warn(
    `SKIPPED ${suite}: no chromium at ${chromiumPath}. Install it to run the browser tests: ` +
      "apt-get install -y chromium (or set CIVIC_CHROMIUM to a Chromium binary).",
  );
}

/** The launch flags this machine needs: no sandbox as root, no network beyond loopback. */
const launchArguments = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  if (browserTests === "fail") {
    throw new Error(`CI is set but no chromium is at ${chromiumPath}: apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: launchArguments });
}

export const viewports = {
  mobile: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof viewports;

export async function newContext(
  browser: Browser,
  options: Readonly<{ baseURL: string; viewport: ViewportName; language?: "en" | "zh-CN" }>,
): Promise<BrowserContext> {
  const mobile = options.viewport === "mobile";
  const context = await browser.newContext({
    baseURL: options.baseURL,
    viewport: viewports[options.viewport],
    isMobile: mobile,
    hasTouch: mobile,
    locale: options.language ?? "en",
    // Fixed: screenshots and date formats do not depend on the machine's zone.
    timezoneId: "Asia/Shanghai",
    // The service worker would serve cached pages between tests; the app works without it.
    serviceWorkers: "block",
  });
  if (options.language) {
    await context.addInitScript((language) => {
      localStorage.setItem("civic.language", language);
    }, options.language);
  }
  return context;
}

/**
 * Collects what must never happen on a page: an uncaught error, a failed request for the app's
 * own files, or a Content-Security-Policy violation (inline code the CSP refused).
 */
export function watchForFaults(page: Page): string[] {
  const faults: string[] = [];
  page.on("pageerror", (error) => faults.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(text)) {
      faults.push(`CSP: ${text}`);
    }
  });
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith("/v1/") && response.status() >= 400) {
      faults.push(`${response.status()} ${url.pathname}`);
    }
  });
  return faults;
}

/**
 * The whole page as one picture. The viewport is stretched to the page's height for the shot:
 * a full-page capture of a shorter viewport would paint the fixed bars (the phone's bottom
 * navigation, the sticky header) in the middle of the page.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotFolder, { recursive: true });
  const viewport = page.viewportSize();
  if (!viewport) throw new Error("the page has no viewport");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.screenshot({ path: join(screenshotFolder, `${name}.png`) });
  await page.setViewportSize(viewport);
}

/** Waits until the page has its heading and nothing is loading any more. */
export async function settled(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[role="status"]')].some((node) =>
        /…$/.test(node.textContent ?? ""),
      ),
  );
}
