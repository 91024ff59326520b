import { partnerKinds, purposes } from "../core/purpose.js";
import { sourceKinds, typePatternRegex } from "../core/source.js";
import { type CredentialInput, type PartnerInput, roles } from "./access.store.js";
import type { SourceInput, TransitionInput } from "./store.js";

/*
 * What every adapter checks before it stores a declaration or a transition: the same limits and
 * the same words, whichever database keeps the ledger. Each check returns the problem, or
 * undefined when there is none; the adapter decides whether a problem is a refusal or a
 * programmer error.
 */

/** Limits on a source's declaration. */
export const sourceNameLengthMax = 128;
export const sourceAllowedTypesMax = 1_000;
/** Longest partner name. */
export const partnerNameLengthMax = 128;
/** Longest key id, principal and creator name a credential may carry. */
export const credentialKeyIdLengthMax = 64;
export const credentialNameLengthMax = 200;
/** Longest actor name and reason a transition may carry. */
export const transitionActorLengthMax = 200;
export const transitionReasonLengthMax = 4_000;

export function checkSource(input: SourceInput): string | undefined {
  if (input.name.trim().length === 0 || input.name.length > sourceNameLengthMax) {
    return `a source name must have 1 to ${sourceNameLengthMax} characters`;
  }
  if (!(sourceKinds as readonly string[]).includes(input.kind)) {
    return `unknown source kind '${input.kind}'; kinds: ${sourceKinds.join(", ")}`;
  }
  if (input.allowedTypes.length > sourceAllowedTypesMax) {
    return `a source may list at most ${sourceAllowedTypesMax} allowed type patterns`;
  }
  const bad = input.allowedTypes.filter((pattern) => !typePatternRegex.test(pattern));
  if (bad.length > 0) {
    return `invalid allowed type pattern ${bad.map((pattern) => `'${pattern}'`).join(", ")}: use an exact type (traffic.red_light), a namespace (traffic.*) or *`;
  }
  return undefined;
}

export function checkPartner(input: PartnerInput): string | undefined {
  if (input.name.trim().length === 0 || input.name.length > partnerNameLengthMax) {
    return `a partner name must have 1 to ${partnerNameLengthMax} characters`;
  }
  if (!(partnerKinds as readonly string[]).includes(input.kind)) {
    return `unknown partner kind '${input.kind}'; kinds: ${partnerKinds.join(", ")}`;
  }
  const unknown = input.purposes.filter(
    (purpose) => !(purposes as readonly string[]).includes(purpose),
  );
  if (unknown.length > 0) {
    return `unknown purpose '${unknown[0]}'; purposes: ${purposes.join(", ")}`;
  }
  if (input.purposes.length === 0) return "a partner must declare at least one purpose";
  if (new Set(input.purposes).size !== input.purposes.length) {
    return "a partner declares each purpose at most once";
  }
  // Charter item 5: only an authority acts on a legal basis without consent.
  if (input.kind !== "authority" && input.purposes.includes("public_task")) {
    return "only an authority may declare 'public_task'";
  }
  return undefined;
}

export function checkCredential(input: CredentialInput): string | undefined {
  if (input.keyId.length === 0 || input.keyId.length > credentialKeyIdLengthMax) {
    return `a key id must have 1 to ${credentialKeyIdLengthMax} characters`;
  }
  if (input.secretHash.length === 0) return "a credential needs the hash of its secret";
  if (!(roles as readonly string[]).includes(input.role)) return `unknown role '${input.role}'`;
  for (const name of [input.principal, input.createdBy]) {
    if (name.trim().length === 0 || name.length > credentialNameLengthMax) {
      return `principal and creator must have 1 to ${credentialNameLengthMax} characters`;
    }
  }
  if (!Number.isFinite(input.createdAt)) return "a credential needs a valid creation time";
  return undefined;
}

export function checkTransition(transition: TransitionInput): string | undefined {
  const actor = transition.actor.trim();
  if (actor.length === 0 || actor.length > transitionActorLengthMax) {
    return `a transition must name its actor in 1 to ${transitionActorLengthMax} characters`;
  }
  if (transition.reason.length > transitionReasonLengthMax) {
    return `a reason may have at most ${transitionReasonLengthMax} characters`;
  }
  if (!Number.isFinite(transition.at)) return "a transition needs a valid time";
  return undefined;
}
