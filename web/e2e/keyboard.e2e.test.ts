/**
 * The app without a mouse: the skip link, signing in, the navigation, opening an entry, and a
 * reviewer confirming an attribution in the console, all with Tab, typing and Enter.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  announceSkip,
  browserTests,
  launchBrowser,
  newContext,
  screenshot,
  settled,
  watchForFaults,
} from "./support/browser.js";
import { passphrase, seedWorld, type World } from "./support/seed.js";
import { startWebServer, type WebServer } from "./support/server.js";

const suite = "web e2e: keyboard navigation (playwright-core + chromium)";
announceSkip(suite);

/** Tabs a page needs at most to reach any control in these tests. */
const tabsMax = 40;

type Focused = Readonly<{ tag: string; name: string; outline: string }>;

/** What has focus: its tag, its accessible name as a person hears it, its focus outline. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return { tag: "", name: "", outline: "" };
    const labelled = (element as HTMLInputElement).labels?.[0]?.textContent;
    const name = element.getAttribute("aria-label") ?? labelled ?? element.textContent ?? "";
    return {
      tag: element.tagName.toLowerCase(),
      name: name.trim(),
      outline: getComputedStyle(element).outlineStyle,
    };
  });
}

/** Presses Tab until the focused control's name matches; fails listing where focus went. */
async function tabTo(page: Page, name: RegExp): Promise<Focused> {
  const trail: string[] = [];
  for (let tab = 0; tab < tabsMax; tab++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (name.test(now.name)) return now;
    trail.push(`${now.tag}:${now.name.slice(0, 30)}`);
  }
  throw new Error(
    `no control named ${name} within ${tabsMax} tabs; focus went: ${trail.join(" → ")}`,
  );
}

describe.skipIf(browserTests === "skip")(suite, () => {
  let server: WebServer;
  let world: World;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWebServer();
    world = await seedWorld(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a citizen signs in, moves around and opens an entry by keyboard alone", async () => {
    const page = await (
      await newContext(browser, { baseURL: server.url, viewport: "desktop" })
    ).newPage();
    const faults = watchForFaults(page);
    await page.goto("/sign-in");
    await settled(page);

    // The first Tab reaches the skip link, which moves focus to the page's content.
    const skip = await tabTo(page, /^Skip to content$/);
    expect(skip.tag).toBe("a");
    expect(skip.outline, "focus is visible").not.toBe("none");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    await tabTo(page, /^Your id$/);
    await page.keyboard.type(world.citizen);
    await tabTo(page, /^Passphrase$/);
    await page.keyboard.type(passphrase);
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByText("Your score is 1020: rating A.").waitFor();

    const history = await tabTo(page, /^History$/);
    expect(history.outline, "focus is visible").not.toBe("none");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/history");
    await settled(page);
    // A new page moves focus to its heading, so the next Tab starts at its top.
    expect(await focused(page)).toMatchObject({ tag: "h1", name: "History" });

    await tabTo(page, /^Threw litter in a public place\.$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Appeal this entry" }).waitFor();
    expect(await focused(page)).toMatchObject({
      tag: "h1",
      name: "Threw litter in a public place.",
    });
    await tabTo(page, /^Your statement$/);
    await page.keyboard.type("I was abroad that week; see the boarding pass.");
    await tabTo(page, /^Send the appeal$/);
    await page.keyboard.press("Enter");
    await page.getByText(/To be decided by/).waitFor();
    await screenshot(page, "keyboard-appeal-desktop");
    expect(faults).toEqual([]);
  });

  it("a reviewer confirms an attribution by keyboard alone", async () => {
    const page = await (
      await newContext(browser, { baseURL: server.url, viewport: "desktop" })
    ).newPage();
    const faults = watchForFaults(page);
    await page.goto("/console/sign-in");
    await settled(page);
    await tabTo(page, /^API key$/);
    await page.keyboard.type(world.keys.reviewer);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/console/reviews");
    await page.getByText(/Crossing against the signal, camera 7/).waitFor();
    await tabTo(page, /^Your reason for entry \d+$/);
    await page.keyboard.type("The face is not visible; the clothing matches the report.");
    const confirm = await tabTo(page, /^Confirm$/);
    expect(confirm.tag).toBe("button");
    await page.keyboard.press("Enter");
    await page.getByText(/confirmed: it counts now/).waitFor();
    await page.getByText("Nothing is waiting for review.").waitFor();
    expect(faults).toEqual([]);
  });
});
