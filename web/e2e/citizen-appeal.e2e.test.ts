/**
 * The citizen's story in a real browser against the real service: sign in on a phone, read the
 * score, appeal an entry; a reviewer reverses it in the console on a desktop; the citizen sees
 * the score restored and the bank's inquiry in the log.
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
import { api, passphrase, seedWorld, type World } from "./support/seed.js";
import { startWebServer, type WebServer } from "./support/server.js";

const suite = "web e2e: citizen appeal story (playwright-core + chromium)";
announceSkip(suite);

describe.skipIf(browserTests === "skip")(suite, () => {
  let server: WebServer;
  let world: World;
  let browser: Browser;
  let citizen: Page;
  let reviewer: Page;
  const faults: string[] = [];

  beforeAll(async () => {
    server = await startWebServer();
    world = await seedWorld(server);
    browser = await launchBrowser();
    citizen = await (
      await newContext(browser, { baseURL: server.url, viewport: "mobile" })
    ).newPage();
    reviewer = await (
      await newContext(browser, { baseURL: server.url, viewport: "desktop" })
    ).newPage();
    faults.push(...watchForFaults(citizen), ...watchForFaults(reviewer));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a citizen signs in and reads the score", async () => {
    await citizen.goto("/");
    await citizen.waitForURL("**/sign-in");
    await citizen.getByLabel("Your id").fill(world.citizen);
    await citizen.getByLabel("Passphrase").fill(passphrase);
    await citizen.getByRole("button", { name: "Sign in" }).click();
    await citizen.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => citizen.getByText("Your score is 1020: rating A.").count()).toBe(1);
    await citizen.getByRole("heading", { name: "Score over time" }).waitFor();
    await citizen.locator(".recharts-surface").first().waitFor();
    await settled(citizen);
    await screenshot(citizen, "story-1-citizen-score-mobile");
  });

  it("appeals an entry: it stops counting at once", async () => {
    await citizen
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "History" })
      .click();
    await citizen.getByRole("heading", { name: "History" }).waitFor();
    await settled(citizen);
    await screenshot(citizen, "story-2-history-mobile");
    await citizen.getByRole("link", { name: "Threw litter in a public place." }).click();
    await citizen.getByRole("heading", { name: "Appeal this entry" }).waitFor();
    // An empty statement is refused by the browser, not by a silently disabled button.
    await citizen.getByRole("button", { name: "Send the appeal" }).click();
    expect(
      await citizen.getByLabel("Your statement").evaluate((input) => input.matches(":invalid")),
    ).toBe(true);
    // A statement over the limit is kept whole, counted, and refused until shortened. The
    // live region that says so is there, empty, before it has anything to say.
    const announced = citizen.locator('form p[role="status"]');
    expect(await announced.textContent()).toBe("");
    await citizen.getByLabel("Your statement").fill("x".repeat(4010));
    expect(await announced.textContent()).toMatch(/The limit is reached: remove 10 characters/);
    await citizen.getByText("4,010 of 4,000 characters", { exact: false }).waitFor();
    await citizen
      .getByText(/The limit is reached: remove 10 characters/)
      .first()
      .waitFor();
    expect(await citizen.getByLabel("Your statement").getAttribute("aria-invalid")).toBe("true");
    await citizen
      .getByLabel("Your statement")
      .fill("That was not my cup: I was at work at the time.");
    await citizen.getByText("47 of 4,000 characters").waitFor();
    await citizen.getByLabel("Link to evidence (optional)").fill("https://example.org/timesheet");
    await citizen.getByRole("button", { name: "Send the appeal" }).click();
    await citizen.getByText(/To be decided by .* \(\d+ days left\)/).waitFor();
    await expect(citizen.getByText("Under appeal").first().isVisible()).resolves.toBe(true);
    await screenshot(citizen, "story-3-appeal-open-mobile");
    await citizen
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Score" })
      .click();
    await citizen.getByText("Your score is 1030: rating A.").waitFor();
  });

  it("a reviewer reverses it in the console", async () => {
    await reviewer.goto("/console");
    await reviewer.waitForURL("**/console/sign-in");
    await reviewer.getByLabel("API key").fill(world.keys.reviewer);
    await reviewer.getByRole("button", { name: "Sign in" }).click();
    await reviewer.waitForURL("**/console/reviews");
    await reviewer.getByRole("link", { name: "Appeals" }).click();
    await reviewer.getByText("That was not my cup: I was at work at the time.").waitFor();
    await settled(reviewer);
    await screenshot(reviewer, "story-4-reviewer-appeals-desktop");
    await reviewer
      .getByLabel(/Your reason for appeal/)
      .fill("The timesheet shows the person at work.");
    await reviewer.getByRole("button", { name: "Reverse the entry" }).click();
    await reviewer.getByText(/the entry is reversed and no longer counts/).waitFor();
    await reviewer.getByText("No appeal is open.").waitFor();
    await screenshot(reviewer, "story-5-reviewer-decided-desktop");
  });

  it("the citizen sees the score restored and the bank's inquiry in the log", async () => {
    const bank = { subjectId: world.citizen, purpose: "credit", disclosure: "rating" };
    await api(server, "POST", "/v1/me/consents", {
      key: await citizenToken(),
      body: { partner: "city-bank", purpose: "credit", until: inDays(30) },
    });
    await api(server, "POST", "/v1/inquiries", { key: world.keys.bank, body: bank });
    // The bank never declared insurance: refused, and the refusal is said in words.
    await expect(
      api(server, "POST", "/v1/inquiries", {
        key: world.keys.bank,
        body: { ...bank, purpose: "insurance" },
      }),
    ).rejects.toThrow(/403/);
    await citizen.reload();
    await citizen.getByText("Your score is 1030: rating A.").waitFor();
    await settled(citizen);
    await screenshot(citizen, "story-6-score-restored-mobile");
    await citizen
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Who looked" })
      .click();
    const inquiry = citizen
      .getByRole("listitem")
      .filter({ hasText: "city-bank" })
      .filter({ hasText: "Allowed" });
    await inquiry.waitFor();
    expect(await inquiry.textContent()).toMatch(/Allowed.*Credit.*Your rating.*rating: A/s);
    const refused = citizen.getByRole("listitem").filter({ hasText: "Refused" });
    expect(await refused.textContent()).toMatch(
      /Insurance.*Why refused.*The partner has not declared this purpose/s,
    );
    expect(await refused.textContent()).not.toMatch(/purpose_not_declared/);
    await screenshot(citizen, "story-7-who-looked-mobile");
    await citizen.goto(`/history/${world.entries.littering}`);
    await citizen.getByText("Entry reversed").waitFor();
    await citizen.getByText(/Decided by reviewer rita/).waitFor();
    // Who made each change, in words: the citizen is "You", not "subject:c-001".
    const changes = citizen.getByRole("region", { name: "What happened to this entry" });
    expect(await changes.textContent()).toMatch(/Appealed · You.*Reversed · reviewer rita/s);
    expect(await changes.textContent()).not.toMatch(/subject:/);
    // A reversed entry no longer reads as a live fine, nor expires.
    await citizen
      .getByText(/^0 now \(was [−-]\d+\)$/)
      .first()
      .waitFor();
    expect(await citizen.getByText("Expires", { exact: true }).count()).toBe(0);
    await settled(citizen);
    await screenshot(citizen, "story-8-entry-reversed-mobile");
    expect(faults).toEqual([]);
  });

  it("the notifications tell it from the citizen's side, in the citizen's language", async () => {
    await citizen.goto("/notifications");
    const granted = new RegExp(
      `Your appeal against entry ${world.entries.littering} was granted: the entry is reversed and no longer counts\\. Reason: The timesheet shows the person at work\\.`,
    );
    await citizen.getByText(granted).waitFor();
    await citizen
      .getByText("city-bank asked for your rating for the purpose “Credit”; it was disclosed.")
      .waitFor();
    await citizen
      .getByText(
        "city-bank asked for your rating for the purpose “Insurance”; it was refused and nothing was disclosed. Why: The partner has not declared this purpose.",
      )
      .waitFor();
    await settled(citizen);
    await screenshot(citizen, "story-9-notifications-mobile");
    await citizen.getByLabel("Language").first().selectOption("zh-CN");
    await citizen
      .getByText(`您对记录 ${world.entries.littering} 的申诉已获支持：该记录已撤销，不再计分。`, {
        exact: false,
      })
      .waitFor();
    await citizen.getByText("city-bank 以“信贷”为目的查询了您的等级；已告知对方。").waitFor();
    expect(await citizen.getByText(/was granted|asked for your/).count()).toBe(0);
    await citizen.getByLabel("语言").first().selectOption("en");
    expect(faults).toEqual([]);
  });

  /** The citizen's own bearer token, for the consent the test gives through the API. */
  async function citizenToken(): Promise<string> {
    const session = await api<{ token: string }>(server, "POST", "/v1/session", {
      body: { subjectId: world.citizen, passphrase },
    });
    return session.token;
  }
});

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
}
