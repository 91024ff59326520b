import { describe, expect, it } from "vitest";
import type { Purpose } from "../../core/purpose.js";
import type { AuditAction, CredentialInput, InquiryInput, PartnerInput } from "../access.store.js";
import {
  type ContractStore,
  dayAfterStart,
  notRefused,
  type OpenStore,
  seedLedger,
  start,
  subjectIds,
  useStore,
} from "./support.js";

function credential(keyId: string, day: number): CredentialInput {
  return {
    keyId,
    secretHash: `hash-of-${keyId}`,
    role: "partner",
    principal: "bank-1",
    createdAt: dayAfterStart(day),
    createdBy: "admin-1",
  };
}

const bank: PartnerInput = { name: "bank-1", kind: "bank", purposes: ["credit", "insurance"] };
const police: PartnerInput = { name: "police", kind: "authority", purposes: ["public_task"] };

/** The seeded ledger with the two partners above, added at `start`. */
async function withPartners(store: ContractStore): Promise<void> {
  await seedLedger(store);
  for (const partner of [bank, police]) notRefused(await store.addPartner(partner, start));
}

function inquiry(fields: Partial<InquiryInput> & Pick<InquiryInput, "at">): InquiryInput {
  return {
    subjectId: "alice",
    partner: "bank-1",
    purpose: "credit",
    disclosure: "rating",
    allowed: true,
    refusal: undefined,
    disclosed: { rating: "A" },
    ...fields,
  };
}

export function describeAccessContract(open: OpenStore): void {
  describe("credentials", () => {
    const store = useStore(open);

    it("stores a key by its id, lists keys oldest first, and revokes a key once", async () => {
      const created = await store().createCredential(credential("key-b", 2));
      expect(created).toEqual({ ...credential("key-b", 2), revokedAt: undefined });
      await store().createCredential(credential("key-a", 3));
      expect(await store().credential("key-b")).toEqual(created);
      expect((await store().credentials()).map((record) => record.keyId)).toEqual([
        "key-b",
        "key-a",
      ]);

      expect(await store().revokeCredential("key-b", dayAfterStart(4))).toBe(true);
      expect(await store().revokeCredential("key-b", dayAfterStart(5))).toBe(false);
      expect(await store().revokeCredential("key-unknown", dayAfterStart(5))).toBe(false);
      expect(await store().credential("key-b")).toEqual({
        ...created,
        revokedAt: dayAfterStart(4),
      });
      expect(await store().credential("key-a")).toMatchObject({ revokedAt: undefined });
      expect(await store().credential("key-unknown")).toBeUndefined();
    });

    it("throws on a key id that is taken, keeping the first key", async () => {
      const created = await store().createCredential(credential("key-a", 1));
      await expect(
        store().createCredential({ ...credential("key-a", 2), role: "admin" }),
      ).rejects.toThrow();
      expect(await store().credentials()).toEqual([created]);
    });
  });

  describe("citizen accounts", () => {
    const store = useStore(open);

    it("keeps the latest activation code, and activation spends it", async () => {
      await seedLedger(store());
      expect(await store().account("alice")).toBeUndefined();
      await store().setActivationCode("alice", "code-1", dayAfterStart(7));
      await store().setActivationCode("alice", "code-2", dayAfterStart(8));
      expect(await store().account("alice")).toEqual({
        subjectId: "alice",
        activationCodeHash: "code-2",
        activationExpiresAt: dayAfterStart(8),
        passphraseHash: undefined,
        activatedAt: undefined,
      });
      const activated = {
        subjectId: "alice",
        activationCodeHash: undefined,
        activationExpiresAt: undefined,
        passphraseHash: "passphrase-hash",
        activatedAt: dayAfterStart(2),
      };
      expect(await store().activateAccount("alice", "passphrase-hash", dayAfterStart(2))).toEqual(
        activated,
      );
      expect(await store().account("alice")).toEqual(activated);
      // The code is spent: a second activation with it is refused and changes nothing.
      const again = await store().activateAccount("alice", "other-hash", dayAfterStart(3));
      expect(again).toMatchObject({ refused: expect.any(String) });
      expect(await store().account("alice")).toEqual(activated);
    });

    it("refuses an activation without a live code, writing nothing", async () => {
      await seedLedger(store());
      await store().setActivationCode("alice", "code-1", dayAfterStart(7));
      const before = await store().account("alice");
      for (const [subject, day] of [
        ["alice", 7],
        ["alice", 30],
        ["bob", 1],
        ["nobody", 1],
      ] as const) {
        const refused = await store().activateAccount(subject, "hash", dayAfterStart(day));
        expect(refused, `${subject} on day ${day}`).toMatchObject({ refused: expect.any(String) });
      }
      expect(await store().account("alice")).toEqual(before);
      expect(await store().account("bob")).toBeUndefined();
    });

    it("throws when a code is set for a subject who is not enrolled", async () => {
      await seedLedger(store());
      await expect(store().setActivationCode("nobody", "code", dayAfterStart(7))).rejects.toThrow();
      expect(await store().account("nobody")).toBeUndefined();
    });
  });

  describe("partners", () => {
    const store = useStore(open);

    it("adds partners with their purposes, and lists them in the order added", async () => {
      expect(await store().addPartner(police, dayAfterStart(1))).toEqual({
        ...police,
        createdAt: dayAfterStart(1),
      });
      notRefused(await store().addPartner(bank, dayAfterStart(2)));
      expect(await store().partner("bank-1")).toEqual({ ...bank, createdAt: dayAfterStart(2) });
      expect((await store().partners()).map((partner) => partner.name)).toEqual([
        "police",
        "bank-1",
      ]);
      expect(await store().partner("nobody")).toBeUndefined();
    });

    it("refuses a taken name and a malformed declaration, writing nothing", async () => {
      notRefused(await store().addPartner(bank, start));
      const refusals: PartnerInput[] = [
        { ...bank, kind: "employer" },
        { ...bank, name: " " },
        { ...bank, name: "x".repeat(129) },
        { ...bank, name: "shop", kind: "spy" as PartnerInput["kind"] },
        { ...bank, name: "shop", purposes: [] },
        { ...bank, name: "shop", purposes: ["gossip" as Purpose] },
        { ...bank, name: "shop", purposes: ["credit", "credit"] },
        { ...bank, name: "shop", purposes: ["credit", "public_task"] },
      ];
      for (const input of refusals) {
        const refused = await store().addPartner(input, dayAfterStart(1));
        expect(refused, JSON.stringify(input)).toMatchObject({ refused: expect.any(String) });
      }
      expect(await store().partners()).toEqual([{ ...bank, createdAt: start }]);
    });
  });

  describe("consents", () => {
    const store = useStore(open);

    it("lists a subject's consents newest first; a subject revokes only their own, once", async () => {
      await withPartners(store());
      const until = dayAfterStart(100);
      const first = await store().grantConsent(
        "alice",
        { partner: "bank-1", purpose: "credit", until },
        dayAfterStart(1),
      );
      expect(first).toEqual({
        id: first.id,
        partner: "bank-1",
        purpose: "credit",
        grantedAt: dayAfterStart(1),
        until,
        revokedAt: undefined,
      });
      const second = await store().grantConsent(
        "alice",
        { partner: "bank-1", purpose: "insurance", until },
        dayAfterStart(2),
      );
      expect(await store().consents("alice")).toEqual([second, first]);

      expect(await store().revokeConsent("bob", first.id, dayAfterStart(3))).toBe(false);
      expect(await store().revokeConsent("alice", 999, dayAfterStart(3))).toBe(false);
      expect(await store().revokeConsent("alice", first.id, dayAfterStart(4))).toBe(true);
      expect(await store().revokeConsent("alice", first.id, dayAfterStart(5))).toBe(false);
      expect(await store().consents("alice")).toEqual([
        second,
        { ...first, revokedAt: dayAfterStart(4) },
      ]);
      expect(await store().consents("bob")).toEqual([]);
      expect(await store().consents("nobody")).toEqual([]);
    });

    it("reads what an inquiry needs together: the subject, their consents and their score", async () => {
      await withPartners(store());
      const grant = { partner: "bank-1", purpose: "credit", until: dayAfterStart(100) } as const;
      const first = await store().grantConsent("alice", grant, dayAfterStart(1));
      await store().grantConsent("alice", { ...grant, purpose: "insurance" }, dayAfterStart(1));
      await store().revokeConsent("alice", first.id, dayAfterStart(2));
      await store().grantConsent("alice", grant, dayAfterStart(3));
      const at = dayAfterStart(4);
      expect((await store().consents("alice")).length).toBe(3);
      expect(await store().inquirySubject("alice", at)).toEqual({
        subject: await store().subject("alice"),
        consents: await store().consents("alice"),
        score: await store().scoreAt("alice", at),
      });
      expect((await store().inquirySubject("bob", at))?.consents).toEqual([]);
      expect(await store().inquirySubject("nobody", at)).toBeUndefined();
    });

    it("keeps one live consent per partner and purpose: a new grant ends the live one", async () => {
      await withPartners(store());
      const grant = { partner: "bank-1", purpose: "credit", until: dayAfterStart(100) } as const;
      const other = await store().grantConsent(
        "alice",
        { ...grant, purpose: "insurance" },
        dayAfterStart(1),
      );
      const first = await store().grantConsent("alice", grant, dayAfterStart(1));
      const second = await store().grantConsent(
        "alice",
        { ...grant, until: dayAfterStart(200) },
        dayAfterStart(2),
      );
      const bobs = await store().grantConsent("bob", grant, dayAfterStart(2));
      expect(await store().consents("alice")).toEqual([
        second,
        { ...first, revokedAt: dayAfterStart(2) },
        other,
      ]);
      expect(await store().consents("bob")).toEqual([bobs]);
      // Revoking the consent the subject sees ends every way the partner had in.
      expect(await store().revokeConsent("alice", second.id, dayAfterStart(3))).toBe(true);
      const live = (await store().inquirySubject("alice", dayAfterStart(4)))?.consents.filter(
        (consent) => consent.revokedAt === undefined,
      );
      expect(live).toEqual([other]);
    });

    it("revokes only a live consent: an expired one stays expired", async () => {
      await withPartners(store());
      const grant = { partner: "bank-1", purpose: "credit", until: dayAfterStart(10) } as const;
      const consent = await store().grantConsent("alice", grant, dayAfterStart(1));
      expect(await store().revokeConsent("alice", consent.id, dayAfterStart(10))).toBe(false);
      expect(await store().revokeConsent("alice", consent.id, dayAfterStart(11))).toBe(false);
      expect(await store().consents("alice")).toEqual([consent]);
      // A later grant does not touch it either: it was no longer live.
      await store().grantConsent(
        "alice",
        { ...grant, until: dayAfterStart(30) },
        dayAfterStart(12),
      );
      expect((await store().consents("alice"))[1]).toEqual(consent);
    });

    it("throws on a consent for an unknown subject or partner, or one that ends at once", async () => {
      await withPartners(store());
      const grant = { partner: "bank-1", purpose: "credit", until: dayAfterStart(9) } as const;
      await expect(store().grantConsent("nobody", grant, start)).rejects.toThrow();
      await expect(
        store().grantConsent("alice", { ...grant, partner: "nobody" }, start),
      ).rejects.toThrow();
      await expect(store().grantConsent("alice", grant, dayAfterStart(9))).rejects.toThrow();
      expect(await store().consents("alice")).toEqual([]);
    });
  });

  describe("inquiries", () => {
    const store = useStore(open);

    it("logs allowed and refused inquiries; the subject reads theirs newest first", async () => {
      await withPartners(store());
      const allowed = await store().recordInquiry(inquiry({ at: dayAfterStart(2) }));
      expect(allowed).toEqual({ ...inquiry({ at: dayAfterStart(2) }), id: allowed.id });
      const refusedInput = inquiry({
        at: dayAfterStart(3),
        allowed: false,
        refusal: "no_live_consent",
        disclosed: {},
      });
      const refused = await store().recordInquiry(refusedInput);
      const authority = await store().recordInquiry(
        inquiry({
          at: dayAfterStart(1),
          partner: "police",
          purpose: "public_task",
          disclosure: "score",
          disclosed: { score: 1000 },
        }),
      );
      const page = { limit: 1_000 };
      expect(await store().inquiries("alice", page)).toEqual({
        inquiries: [refused, allowed, authority],
        next: undefined,
      });
      expect(await store().inquiries("bob", page)).toEqual({ inquiries: [], next: undefined });
      expect(await store().inquiries("nobody", page)).toEqual({ inquiries: [], next: undefined });
    });

    it("throws on an inquiry that is neither plainly allowed nor plainly refused", async () => {
      await withPartners(store());
      const at = dayAfterStart(1);
      const malformed: InquiryInput[] = [
        inquiry({ at, allowed: false, refusal: undefined, disclosed: {} }),
        inquiry({ at, allowed: false, refusal: "no_live_consent" }),
        inquiry({ at, refusal: "no_live_consent" }),
        inquiry({ at, subjectId: "nobody" }),
      ];
      for (const input of malformed) await expect(store().recordInquiry(input)).rejects.toThrow();
      expect((await store().inquiries("alice", { limit: 1_000 })).inquiries).toEqual([]);
    });

    it("stores every one of many inquiries made at once; a malformed one fails alone", async () => {
      await withPartners(store());
      const inputs = Array.from({ length: 50 }, (_, index) =>
        inquiry({ at: dayAfterStart(1) + index, subjectId: subjectIds[index % 3] as string }),
      );
      const malformed = inquiry({ at: dayAfterStart(1), subjectId: "nobody" });
      const settled = await Promise.allSettled(
        [...inputs.slice(0, 25), malformed, ...inputs.slice(25)].map((input) =>
          store().recordInquiry(input),
        ),
      );
      expect(settled.map((result) => result.status)).toEqual([
        ...Array(25).fill("fulfilled"),
        "rejected",
        ...Array(25).fill("fulfilled"),
      ]);
      const stored = settled.flatMap((result) =>
        result.status === "fulfilled" ? [result.value] : [],
      );
      expect(stored.map(({ id: _id, ...input }) => input)).toEqual(inputs);
      expect(new Set(stored.map((record) => record.id)).size).toBe(inputs.length);
      const pages = await Promise.all(
        subjectIds.map((id) => store().inquiries(id, { limit: 1_000 })),
      );
      const read = pages.flatMap((page) => page.inquiries);
      expect(read.map((record) => record.id).sort((a, b) => a - b)).toEqual(
        stored.map((record) => record.id).sort((a, b) => a - b),
      );
    });
  });

  describe("audit log", () => {
    const store = useStore(open);

    it("appends admin actions and reads them newest first, `limit` at a time", async () => {
      for (const day of [1, 2, 3]) {
        await store().appendAudit({
          actor: "admin-1",
          action: "partner.add",
          target: `partner:p${day}`,
          at: dayAfterStart(day),
          details: { day, purposes: ["credit"] },
        });
      }
      const log = await store().auditLog(2);
      expect(log.map((record) => record.target)).toEqual(["partner:p3", "partner:p2"]);
      expect(log[0]).toEqual({
        id: log[0]?.id,
        actor: "admin-1",
        action: "partner.add",
        target: "partner:p3",
        at: dayAfterStart(3),
        details: { day: 3, purposes: ["credit"] },
      });
      expect(await store().auditLog(0)).toEqual([]);
      await expect(store().auditLog(1_001)).rejects.toThrow();
      const nameless = { actor: " ", action: "a", target: "t", at: start, details: {} };
      await expect(store().appendAudit(nameless)).rejects.toThrow();
      expect(await store().auditLog(10)).toHaveLength(3);
    });

    /** An admin action's line, or one the log refuses (no actor), to see the action undone. */
    const line = (target: string, actor = "admin-1"): AuditAction => ({
      actor,
      action: "test.action",
      target,
      details: {},
    });

    it("writes each admin action's line with the action, from its result, at its time", async () => {
      const s = store();
      await seedLedger(s);
      const source = { name: "clinic", kind: "agency", allowedTypes: ["health.*"] } as const;
      await s.addSource(source, start, (added) => line(`source:${"refused" in added}`));
      await s.addSource(source, start, (added) => ("refused" in added ? undefined : line("x")));
      await s.addPartner(bank, dayAfterStart(1), (added) =>
        line(`partner:${"name" in added && added.name}`),
      );
      await s.createCredential(credential("k-1", 2), (created) => line(created.keyId));
      await s.revokeCredential("k-1", dayAfterStart(3), (revoked) => line(`revoked:${revoked}`));
      await s.enrollSubjects([{ id: "dave", region: "south" }], dayAfterStart(4), (outcomes) =>
        line(outcomes.join(",")),
      );
      const version = await s.publishRulebook(
        { ...(await currentPublication(s)), publishedAt: dayAfterStart(5) },
        (published) => line(`rulebook:${published.version}`),
      );
      const log = (await s.auditLog(10)).reverse();
      expect(log.map(({ target, at }) => ({ target, at }))).toEqual([
        { target: "source:false", at: start },
        { target: "partner:bank-1", at: dayAfterStart(1) },
        { target: "k-1", at: dayAfterStart(2) },
        { target: "revoked:true", at: dayAfterStart(3) },
        { target: "enrolled", at: dayAfterStart(4) },
        { target: `rulebook:${version.version}`, at: dayAfterStart(5) },
      ]);
    });

    it("undoes an admin action whose line the log refuses", async () => {
      const s = store();
      await seedLedger(s);
      const refused = () => line("target", " ");
      const rulebookBefore = await s.currentRulebook();
      const publication = { ...(await currentPublication(s)), publishedAt: dayAfterStart(3) };
      const attempts: Array<() => Promise<unknown>> = [
        () =>
          s.addSource(
            { name: "clinic", kind: "agency", allowedTypes: ["health.*"] },
            start,
            refused,
          ),
        () => s.addPartner(bank, start, refused),
        () => s.createCredential(credential("k-1", 1), refused),
        () => s.enrollSubjects([{ id: "dave", region: "south" }], start, refused),
        () => s.publishRulebook(publication, refused),
      ];
      // One at a time: each refusal is awaited before the next action starts.
      for (const attempt of attempts) await expect(attempt()).rejects.toThrow();
      expect(await s.source("clinic")).toBeUndefined();
      expect(await s.partner("bank-1")).toBeUndefined();
      expect(await s.credential("k-1")).toBeUndefined();
      expect(await s.subject("dave")).toBeUndefined();
      expect((await s.currentRulebook())?.version).toBe(rulebookBefore?.version);

      await s.createCredential(credential("k-2", 1));
      await expect(s.revokeCredential("k-2", dayAfterStart(2), refused)).rejects.toThrow();
      expect((await s.credential("k-2"))?.revokedAt).toBeUndefined();
      expect(await s.auditLog(10)).toEqual([]);
    });
  });
}

/** The current rulebook, to publish again as the next version. */
async function currentPublication(store: ContractStore) {
  const current = await store.currentRulebook();
  if (!current) throw new Error("no rulebook published");
  return { text: current.text, rulebook: current.rulebook, publishedBy: "admin-1" };
}
