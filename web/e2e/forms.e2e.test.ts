/**
 * The forms, filled in and sent in a real browser against the real service: an admin adds a
 * source, a partner and a key and enrolls a person from the console; that person activates
 * their account with the code and is signed in; a wrong passphrase is refused in words.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./support/axe.js";
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

const suite = "web e2e: forms (playwright-core + chromium)";
announceSkip(suite);

describe.skipIf(browserTests === "skip")(suite, () => {
  let server: WebServer;
  let world: World;
  let browser: Browser;
  let activationCode = "";

  beforeAll(async () => {
    server = await startWebServer();
    world = await seedWorld(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function adminPage(): Promise<Page> {
    const context = await newContext(browser, { baseURL: server.url, viewport: "desktop" });
    await context.addInitScript((key) => {
      sessionStorage.setItem("civic.operator", JSON.stringify({ key, role: "admin", name: "a" }));
    }, server.adminKey);
    return context.newPage();
  }

  it("an admin adds a source, a partner and a key, and enrolls a person", async () => {
    const page = await adminPage();
    const faults = watchForFaults(page);
    await page.goto("/console/access");
    await settled(page);

    const source = page.getByRole("form", { name: "Add a source" });
    await source.getByLabel("Name").fill("gate-camera");
    await source.getByLabel("Kind").selectOption({ label: "Camera" });
    await source
      .getByLabel("Event types it may report")
      .fill("traffic.red_light, traffic.jaywalking");
    await source.getByRole("button", { name: "Add" }).click();
    await source.getByRole("status").getByText("Source gate-camera added.").waitFor();
    const sources = page.getByRole("region", { name: "Sources" });
    await expect
      .poll(() => sources.getByRole("row", { name: /gate-camera/ }).textContent())
      .toBe("gate-cameraCameratraffic.red_light, traffic.jaywalking");

    // A pattern no rule matches is added, with a warning apart from the success.
    await source.getByLabel("Name").fill("weather-station");
    await source.getByLabel("Event types it may report").fill("weather.*");
    await source.getByRole("button", { name: "Add" }).click();
    await source.locator(".success").getByText("Source weather-station added.").waitFor();
    expect(await source.locator(".warning").textContent()).toMatch(
      /^No rule of the current rulebook has a type matching “weather\.\*”/,
    );

    const partner = page.getByRole("form", { name: "Add a partner" });
    await partner.getByLabel("Name").fill("health-insurer");
    await partner.getByLabel("Kind").selectOption({ label: "Insurer" });
    await partner.getByLabel("Credit").uncheck();
    // No purpose: the problem names the field by its label, without the validator's location,
    // marks it invalid, and goes away once the form is edited.
    await partner.getByRole("button", { name: "Add" }).click();
    await partner.getByRole("alert").getByText("Purposes: choose at least one.").waitFor();
    expect(await partner.getByRole("alert").textContent()).not.toMatch(/body \//);
    expect(await partner.getByLabel("Credit").getAttribute("aria-invalid")).toBe("true");
    await partner.getByLabel("Insurance").check();
    expect(await partner.getByRole("alert").count()).toBe(0);
    await partner.getByRole("button", { name: "Add" }).click();
    await partner.getByRole("status").getByText("Partner health-insurer added.").waitFor();
    const partners = page.getByRole("region", { name: "Partners" });
    await expect
      .poll(() => partners.getByRole("row", { name: /health-insurer/ }).textContent())
      .toMatch(/Insurer.*Insurance/);

    const key = page.getByRole("form", { name: "Issue a key" });
    await key.getByLabel("Role").selectOption({ label: "Partner" });
    await key.getByLabel("For").fill("health-insurer");
    await key.getByRole("button", { name: "Issue" }).click();
    await key.getByRole("status").getByText("Key for health-insurer.", { exact: false }).waitFor();
    expect(await key.locator("code.secret").textContent()).toMatch(/^cck_/);

    // Revoking asks first: "Cancel" keeps the key, "Yes" revokes it.
    const keys = page.getByRole("region", { name: "API keys" });
    const row = keys.getByRole("row").filter({ hasText: "health-insurer" });
    await row.getByRole("button", { name: /^Revoke key / }).click();
    await row.getByRole("group", { name: /^Revoke key .* of health-insurer\?$/ }).waitFor();
    await row.getByRole("button", { name: "Cancel" }).click();
    await row.getByRole("button", { name: /^Revoke key / }).waitFor();
    await row.getByRole("button", { name: /^Revoke key / }).click();
    await row.getByRole("button", { name: "Yes" }).click();
    await key
      .getByRole("status")
      .getByText(/^Key .* revoked\.$/)
      .waitFor();
    await expect.poll(() => row.textContent()).toMatch(/Revoked/);

    await page.getByLabel("The person's id").fill("c-100");
    await page.getByLabel("Region", { exact: true }).fill("east");
    await page.getByRole("button", { name: "Enroll" }).click();
    const code = page.getByRole("status").filter({ hasText: "c-100" }).locator("code.secret");
    activationCode = (await code.textContent()) ?? "";
    expect(activationCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);

    // Enrolling an id again is a warning, not a success: the person is left as they were.
    const enroll = page.getByRole("region", { name: "Enroll a person" });
    await enroll.getByLabel("The person's id").fill(world.citizen);
    await enroll.getByLabel("Region", { exact: true }).fill("west");
    await enroll.getByRole("button", { name: "Enroll" }).click();
    await enroll
      .locator(".warning")
      .getByText(/was already enrolled/)
      .waitFor();
    expect(await enroll.locator(".success").count()).toBe(0);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "console-access-filled-desktop");
    expect(faults).toEqual([]);
    await page.context().close();
  });

  it("the enrolled person activates their account with the code and is signed in", async () => {
    expect(activationCode, "the enrollment test ran first").not.toBe("");
    const context = await newContext(browser, { baseURL: server.url, viewport: "mobile" });
    const page = await context.newPage();
    const faults = watchForFaults(page);
    await page.goto("/activate");
    await settled(page);
    await page.getByLabel("Your id").fill("c-100");
    await page.getByLabel("Activation code").fill(activationCode);
    await page.getByLabel("New passphrase").fill("short");
    await page.getByRole("button", { name: "Activate and sign in" }).click();
    // The browser refuses a passphrase under the minimum length before anything is sent.
    expect(
      await page.getByLabel("New passphrase").evaluate((input) => input.matches(":invalid")),
    ).toBe(true);
    await page.getByLabel("New passphrase").fill(passphrase);
    await page.getByRole("button", { name: "Activate and sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByText("Your score is 1000: rating A.").waitFor();
    expect(faults).toEqual([]);
    await context.close();
  });

  it("refuses a wrong passphrase in words, and signs in with the right one", async () => {
    const context = await newContext(browser, { baseURL: server.url, viewport: "mobile" });
    const page = await context.newPage();
    const faults = watchForFaults(page);
    await page.goto("/sign-in");
    await settled(page);
    await page.getByLabel("Your id").fill(world.citizen);
    await page.getByLabel("Passphrase").fill("not the passphrase at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/sign in|passphrase|credentials/i);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.getByLabel("Passphrase").fill(passphrase);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByRole("heading", { level: 1, name: "My score" }).waitFor();
    expect(faults).toEqual([]);
    await context.close();
  });

  it("consents: no public task, stale problems go, revoking asks first and says so", async () => {
    const context = await newContext(browser, { baseURL: server.url, viewport: "mobile" });
    const page = await context.newPage();
    const faults = watchForFaults(page);
    await signIn(page);
    await page.goto("/consents");
    await settled(page);
    const grant = page.getByRole("region", { name: "Give a consent" });
    const purposes = await grant.getByLabel("Purpose").locator("option").allTextContents();
    expect(purposes).toContain("Credit");
    expect(purposes.join()).not.toMatch(/Public task/);

    await grant.getByLabel("Partner", { exact: true }).fill("no-such-bank");
    await grant.getByRole("button", { name: "Give consent" }).click();
    await grant
      .getByRole("alert")
      .getByText(/There is no partner named/)
      .waitFor();
    await grant.getByLabel("Partner", { exact: true }).fill("city-bank");
    expect(await grant.getByRole("alert").count()).toBe(0);
    await grant.getByRole("button", { name: "Give consent" }).click();
    await page.getByRole("status").getByText("Consent given to city-bank.").waitFor();

    const consent = page.getByRole("listitem").filter({ hasText: "city-bank · Credit" });
    await consent.getByRole("button", { name: /^Revoke the consent for city-bank/ }).click();
    await consent.getByRole("button", { name: "Yes" }).click();
    await page.getByRole("status").getByText("Consent for city-bank, Credit revoked.").waitFor();
    // The revoked consent's button is gone: focus is on what happened, not lost to the page.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe("Consent for city-bank, Credit revoked.");
    expect(await page.getByText("Consent given to city-bank.").count()).toBe(0);
    await consent.getByText(/^Revoked on .* \(given on .*\)$/).waitFor();
    expect(faults).toEqual([]);
    await context.close();
  });

  it("an entry that does not exist says so, with the way back to History", async () => {
    const context = await newContext(browser, { baseURL: server.url, viewport: "mobile" });
    const page = await context.newPage();
    const faults = watchForFaults(page);
    await signIn(page);
    for (const id of ["abc", "99999999"]) {
      await page.goto(`/history/${id}`);
      await page.getByRole("heading", { level: 1, name: "No such entry" }).waitFor();
      await page.getByRole("link", { name: "Back to your history" }).waitFor();
      expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(0);
      expect(await page.locator("main").textContent()).not.toMatch(/params|NaN/);
    }
    await page.goto("/no/such/page");
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    expect(faults).toEqual([]);
    await context.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto("/sign-in");
    await settled(page);
    await page.getByLabel("Your id").fill(world.citizen);
    await page.getByLabel("Passphrase").fill(passphrase);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
  }
});
