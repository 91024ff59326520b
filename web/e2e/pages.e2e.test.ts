/**
 * Every page of the citizen app and the console, on a phone and on a desktop, in English and
 * in Chinese: it renders without errors or CSP violations, axe-core finds no serious or
 * critical accessibility violation, and a screenshot is written.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./support/axe.js";
import {
  announceSkip,
  browserTests,
  launchBrowser,
  newContext,
  screenshot,
  settled,
  type ViewportName,
  watchForFaults,
} from "./support/browser.js";
import { api, passphrase, seedWorld, type World } from "./support/seed.js";
import { startWebServer, type WebServer } from "./support/server.js";

const suite = "web e2e: every page, axe-core and screenshots (playwright-core + chromium)";
announceSkip(suite);

type Who = "anonymous" | "citizen" | "reviewer" | "admin";
type PageCase = Readonly<{
  name: string;
  path: (world: World) => string;
  who: Who;
  mobileOnly?: boolean;
}>;

const pages: readonly PageCase[] = [
  { name: "sign-in", path: () => "/sign-in", who: "anonymous" },
  { name: "activate", path: () => "/activate", who: "anonymous" },
  { name: "rules", path: () => "/rules", who: "anonymous" },
  { name: "home", path: () => "/", who: "citizen" },
  { name: "history", path: () => "/history", who: "citizen" },
  { name: "entry", path: (world) => `/history/${world.entries.camera}`, who: "citizen" },
  { name: "who-looked", path: () => "/access-log", who: "citizen" },
  { name: "consents", path: () => "/consents", who: "citizen" },
  { name: "benefits", path: () => "/benefits", who: "citizen" },
  { name: "notifications", path: () => "/notifications", who: "citizen" },
  { name: "more", path: () => "/more", who: "citizen", mobileOnly: true },
  { name: "not-found", path: () => "/no/such/page", who: "anonymous" },
  { name: "console-sign-in", path: () => "/console/sign-in", who: "anonymous" },
  { name: "console-reviews", path: () => "/console/reviews", who: "reviewer" },
  { name: "console-appeals", path: () => "/console/appeals", who: "reviewer" },
  { name: "console-dashboard", path: () => "/console/dashboard", who: "admin" },
  { name: "console-rulebook", path: () => "/console/rulebook", who: "admin" },
  { name: "console-access", path: () => "/console/access", who: "admin" },
  { name: "console-audit", path: () => "/console/audit", who: "admin" },
  { name: "console-not-found", path: () => "/console/no-such-page", who: "admin" },
];

const cases = (["mobile", "desktop"] as const).flatMap((viewport) =>
  pages
    .filter((page) => viewport === "mobile" || !page.mobileOnly)
    .map((page) => [`${page.name} (${viewport})`, page, viewport] as const),
);

describe.skipIf(browserTests === "skip")(suite, () => {
  let server: WebServer;
  let world: World;
  let browser: Browser;
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    server = await startWebServer();
    world = await seedWorld(server);
    await addActivity(server, world);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** One signed-in context per person, viewport and language, reused across pages. */
  async function contextFor(who: Who, viewport: ViewportName, language: "en" | "zh-CN" = "en") {
    const id = `${who}-${viewport}-${language}`;
    const existing = contexts.get(id);
    if (existing) return existing;
    const context = await newContext(browser, { baseURL: server.url, viewport, language });
    if (who === "citizen") {
      // The browser signs in through the API like the sign-in page does: the cookie is set.
      const response = await context.request.post("/v1/session", {
        data: { subjectId: world.citizen, passphrase },
      });
      expect(response.status()).toBe(200);
    }
    if (who === "reviewer" || who === "admin") {
      const key = who === "reviewer" ? world.keys.reviewer : server.adminKey;
      const role = who;
      await context.addInitScript(
        ([key, role]) => {
          sessionStorage.setItem("civic.operator", JSON.stringify({ key, role, name: role }));
        },
        [key, role] as const,
      );
    }
    contexts.set(id, context);
    return context;
  }

  async function open(page: Page, path: string): Promise<string[]> {
    const faults = watchForFaults(page);
    await page.goto(path);
    await settled(page);
    // Charts draw after their data: wait for them so the screenshot and axe see them.
    for (const chart of await page.locator(".chart-area").all()) {
      await chart.locator(".recharts-surface").first().waitFor();
    }
    return faults;
  }

  it.each(cases)("%s", async (_name, pageCase, viewport) => {
    const context = await contextFor(pageCase.who, viewport);
    const page = await context.newPage();
    try {
      const faults = await open(page, pageCase.path(world));
      expect(new URL(page.url()).pathname).toBe(pageCase.path(world));
      expect(await seriousViolations(page)).toEqual([]);
      // The camera entry shows what the camera reported, to its subject and to the reviewer.
      if (["entry", "console-reviews"].includes(pageCase.name)) {
        expect(await page.getByText("seconds into red", { exact: true }).count()).toBe(1);
      }
      if (pageCase.name.endsWith("not-found")) {
        // A way back to the start of the frame the address was asked in.
        const start = pageCase.who === "admin" ? "/console" : "/";
        const home = page.getByRole("link", { name: "Go to the start page" });
        expect(await home.getAttribute("href")).toBe(start);
      }
      await screenshot(page, `${pageCase.name}-${viewport}`);
      expect(faults).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    ["home", "/", "citizen", "我的分数"],
    ["history", "/history", "citizen", "记录"],
    ["console-dashboard", "/console/dashboard", "admin", "统计面板"],
  ] as const)("%s in Chinese", async (name, path, who, heading) => {
    const context = await contextFor(who, "mobile", "zh-CN");
    const page = await context.newPage();
    try {
      const faults = await open(page, path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `${name}-mobile-zh`);
      expect(faults).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows the what-if report of a draft rulebook", async () => {
    const context = await contextFor("admin", "desktop");
    const page = await context.newPage();
    try {
      const faults = await open(page, "/console/rulebook");
      const draft = page.getByLabel("Draft (YAML)");
      const text = await draft.inputValue();
      const richer = text
        .replace("title: Civic Credit default rulebook", "title: Blood donation counts more")
        .replace(/(type: civic\.blood_donation\n\s+category: civic\n\s+points:) 30/, "$1 200");
      expect(richer).toContain("points: 200");
      await draft.fill(richer);
      await page.getByRole("button", { name: /What if\?/ }).click();
      await page.getByRole("heading", { name: "What if: Blood donation counts more" }).waitFor();
      await settled(page);
      expect(await page.locator(".whatif").textContent()).toContain("civic.blood_donation");
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, "console-whatif-desktop");
      expect(faults).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows the rating distribution by region over time, as a chart and as a table", async () => {
    const context = await contextFor("admin", "desktop");
    const page = await context.newPage();
    try {
      const faults = await open(page, "/console/dashboard");
      const section = page.getByRole("region", { name: "Ratings over time" });
      const chart = section.getByRole("img", { name: /people per rating in All regions/ });
      expect(await chart.locator(".recharts-area-area").count()).toBeGreaterThan(0);
      await section.getByText("Show as a table").click();
      // Everyone was enrolled minutes ago: a week ago nobody was, now everybody is.
      const cells = async (row: number) =>
        section.locator("tbody tr").nth(row).locator("td").allTextContents();
      expect(await section.locator("tbody tr").count()).toBe(2);
      expect(await cells(0)).toEqual(["0", "0", "0", "0", "0", "0"]);
      expect(await cells(1)).toEqual(["0", "0", "2", "1", "0", "0"]);
      await section.getByLabel("Region", { exact: true }).selectOption("south");
      await section.getByRole("img", { name: /people per rating in south/ }).waitFor();
      await expect.poll(() => cells(1)).toEqual(["0", "0", "0", "1", "0", "0"]);
      expect(await section.locator("tbody tr").count()).toBe(2);
      await section.getByLabel("Region", { exact: true }).selectOption({ label: "All regions" });
      await section.getByRole("radio", { name: "Shares" }).check();
      const ticks = section.locator(".recharts-cartesian-axis-tick-value");
      await expect.poll(() => ticks.allTextContents()).toContain("100%");
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, "console-dashboard-over-time-desktop");
      expect(faults).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("labels every rating band of the score chart inside the chart, even a sliver", async () => {
    // c-003 fell from 1030 to 905: 60 points below, the C band (under 850) is just in view.
    const context = await newContext(browser, { baseURL: server.url, viewport: "mobile" });
    const response = await context.request.post("/v1/session", {
      data: { subjectId: "c-003", passphrase },
    });
    expect(response.status()).toBe(200);
    const page = await context.newPage();
    try {
      const faults = await open(page, "/");
      await page.getByText("Your score is 905: rating B.").waitFor();
      const axis = await page
        .locator(".recharts-yAxis .recharts-cartesian-axis-line")
        .boundingBox();
      const labels = page.locator(".chart-area text.recharts-label");
      expect(await labels.allTextContents()).toEqual(["A", "B", "C"]);
      for (const label of await labels.all()) {
        const box = await label.boundingBox();
        if (!axis || !box) throw new Error("the chart has no y axis or no band labels");
        const band = `band ${await label.textContent()}`;
        expect(box.y, band).toBeGreaterThanOrEqual(axis.y);
        expect(box.y + box.height, band).toBeLessThanOrEqual(axis.y + axis.height);
      }
      await screenshot(page, "home-low-score-mobile");
      expect(faults).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("switches the language from the header, and keeps the choice", async () => {
    const context = await newContext(browser, { baseURL: server.url, viewport: "desktop" });
    const page = await context.newPage();
    await page.goto("/rules");
    await settled(page);
    await page.getByLabel("Language").first().selectOption("zh-CN");
    await page.getByRole("heading", { level: 1, name: "计分规则" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "计分规则" }).waitFor();
    await context.close();
  });
});

/** A consent, allowed and refused inquiries and an open appeal: every list has something. */
async function addActivity(server: WebServer, world: World): Promise<void> {
  const session = await api<{ token: string }>(server, "POST", "/v1/session", {
    body: { subjectId: world.citizen, passphrase },
  });
  const until = new Date(Date.now() + 60 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
  await api(server, "POST", "/v1/me/consents", {
    key: session.token,
    body: { partner: "city-bank", purpose: "credit", until },
  });
  await api(server, "POST", "/v1/inquiries", {
    key: world.keys.bank,
    body: { subjectId: world.citizen, purpose: "credit", disclosure: "score" },
  });
  await api(server, "POST", `/v1/me/entries/${world.entries.redLight}/appeal`, {
    key: session.token,
    body: {
      statement: "The light was green; see the dashcam.",
      evidenceUrl: "https://example.org/dashcam",
    },
  });
  // c-003 falls from 1030 to 905, near the C band: the score chart shows its edge.
  const falls = [
    ["drunk", "traffic.drunk_driving"],
    ["litter", "public.littering"],
    ["light", "traffic.red_light"],
    ["walk", "traffic.jaywalking"],
  ] as const;
  for (const [id, type] of falls) {
    await api(server, "POST", "/v1/events", {
      key: world.keys.police,
      body: {
        events: [
          {
            id: `fall-${id}`,
            subject: "c-003",
            type,
            occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
            evidence: { description: `Report ${id}` },
          },
        ],
      },
    });
  }
  // A partner without consent is refused, and the person sees that too.
  await api(server, "POST", "/v1/partners", {
    key: server.adminKey,
    body: { name: "quick-loans", kind: "bank", purposes: ["credit"] },
  });
  const refusedKey = await api<{ key: string }>(server, "POST", "/v1/credentials", {
    key: server.adminKey,
    body: { role: "partner", principal: "quick-loans" },
  });
  const refused = await fetch(`${server.url}/v1/inquiries`, {
    method: "POST",
    headers: { authorization: `Bearer ${refusedKey.key}`, "content-type": "application/json" },
    body: JSON.stringify({ subjectId: world.citizen, purpose: "credit", disclosure: "rating" }),
  });
  expect(refused.status).toBe(403);
}
