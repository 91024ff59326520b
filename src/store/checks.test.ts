import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CredentialInput, PartnerInput } from "./access.store.js";
import {
  checkCredential,
  checkPartner,
  checkSource,
  checkTransition,
  credentialKeyIdLengthMax,
  credentialNameLengthMax,
  partnerNameLengthMax,
  sourceAllowedTypesMax,
  sourceNameLengthMax,
  transitionActorLengthMax,
  transitionReasonLengthMax,
} from "./checks.js";
import type { SourceInput, TransitionInput } from "./store.js";

const source: SourceInput = { name: "traffic-police", kind: "agency", allowedTypes: ["traffic.*"] };
const partner: PartnerInput = { name: "city-bank", kind: "bank", purposes: ["credit"] };
const credential: CredentialInput = {
  keyId: "k-1",
  secretHash: "hash",
  role: "partner",
  principal: "city-bank",
  createdAt: 1,
  createdBy: "admin",
};
const transition: TransitionInput = { kind: "confirmed", actor: "reviewer-1", at: 1, reason: "" };

/** A name of `length` characters that is not blank. */
const nameOf = (length: number) => "n".repeat(length);

describe("the checks both adapters make before storing", () => {
  it("accept well-formed inputs", () => {
    expect(checkSource(source)).toBeUndefined();
    expect(checkSource({ ...source, allowedTypes: ["*", "finance.payment_default"] })).toBe(
      undefined,
    );
    expect(checkPartner(partner)).toBeUndefined();
    expect(checkPartner({ name: "ministry", kind: "authority", purposes: ["public_task"] })).toBe(
      undefined,
    );
    expect(checkCredential(credential)).toBeUndefined();
    expect(checkTransition(transition)).toBeUndefined();
  });

  it("bound every name by its limit, and refuse a blank one", () => {
    const limits = [
      { max: sourceNameLengthMax, check: (name: string) => checkSource({ ...source, name }) },
      { max: partnerNameLengthMax, check: (name: string) => checkPartner({ ...partner, name }) },
      {
        max: credentialKeyIdLengthMax,
        check: (keyId: string) => checkCredential({ ...credential, keyId }),
      },
      {
        max: credentialNameLengthMax,
        check: (principal: string) => checkCredential({ ...credential, principal }),
      },
      {
        max: credentialNameLengthMax,
        check: (createdBy: string) => checkCredential({ ...credential, createdBy }),
      },
      {
        max: transitionActorLengthMax,
        check: (actor: string) => checkTransition({ ...transition, actor }),
      },
    ];
    for (const { max, check } of limits) {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: max + 50 }), (length) => {
          expect(check(nameOf(length)) === undefined).toBe(length <= max);
        }),
        { numRuns: 50 },
      );
      expect(check(""), `max ${max}`).toMatch(/1 to \d+ characters/);
    }
    for (const blank of ["   ", "\t"]) {
      expect(checkSource({ ...source, name: blank })).toMatch(/source name/);
      expect(checkPartner({ ...partner, name: blank })).toMatch(/partner name/);
      expect(checkTransition({ ...transition, actor: blank })).toMatch(/actor/);
    }
  });

  it("refuse what the core does not know: kinds, roles, purposes and type patterns", () => {
    expect(checkSource({ ...source, kind: "drone" as SourceInput["kind"] })).toBe(
      "unknown source kind 'drone'; kinds: agency, partner, camera",
    );
    expect(checkSource({ ...source, allowedTypes: ["traffic.*", "Traffic Lights"] })).toMatch(
      /invalid allowed type pattern 'Traffic Lights'/,
    );
    expect(
      checkSource({ ...source, allowedTypes: Array(sourceAllowedTypesMax + 1).fill("*") }),
    ).toMatch(/at most 1000 allowed type patterns/);
    expect(checkPartner({ ...partner, kind: "casino" as PartnerInput["kind"] })).toMatch(
      /unknown partner kind 'casino'/,
    );
    expect(
      checkPartner({ ...partner, purposes: ["dating" as PartnerInput["purposes"][number]] }),
    ).toMatch(/unknown purpose 'dating'/);
    expect(checkCredential({ ...credential, role: "root" as CredentialInput["role"] })).toBe(
      "unknown role 'root'",
    );
  });

  it("refuse a partner's empty or repeated purposes, and public_task but for an authority", () => {
    expect(checkPartner({ ...partner, purposes: [] })).toBe(
      "a partner must declare at least one purpose",
    );
    expect(checkPartner({ ...partner, purposes: ["credit", "credit"] })).toBe(
      "a partner declares each purpose at most once",
    );
    expect(checkPartner({ ...partner, purposes: ["public_task"] })).toBe(
      "only an authority may declare 'public_task'",
    );
  });

  it("refuse a missing secret hash, invalid times and an overlong reason", () => {
    expect(checkCredential({ ...credential, secretHash: "" })).toMatch(/hash of its secret/);
    expect(checkCredential({ ...credential, createdAt: Number.NaN })).toMatch(/creation time/);
    expect(checkTransition({ ...transition, at: Number.POSITIVE_INFINITY })).toMatch(/valid time/);
    expect(
      checkTransition({ ...transition, reason: "r".repeat(transitionReasonLengthMax) }),
    ).toBeUndefined();
    expect(
      checkTransition({ ...transition, reason: "r".repeat(transitionReasonLengthMax + 1) }),
    ).toMatch(/at most 4000 characters/);
  });
});
