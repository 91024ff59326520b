import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type StoredStatus, storedStatuses } from "./entry.js";
import {
  applyTransition,
  type EntryState,
  foldTransitions,
  initialState,
  type TransitionKind,
  transitionKinds,
} from "./transition.js";

const state = (status: StoredStatus, statusBeforeDispute?: StoredStatus): EntryState => ({
  status,
  statusBeforeDispute,
});

/** The states an entry can be in: a disputed entry remembers what it was before. */
const states: Record<string, EntryState> = {
  effective: state("effective"),
  pending_review: state("pending_review"),
  capped: state("capped"),
  "disputed (was effective)": state("disputed", "effective"),
  "disputed (was pending_review)": state("disputed", "pending_review"),
  "disputed (was capped)": state("disputed", "capped"),
  reversed: state("reversed"),
  rejected: state("rejected"),
};

type Expected = EntryState | "refused";
const refused = "refused";

/** Every (state, transition) pair and what it leads to. */
const table: Record<string, Record<TransitionKind, Expected>> = {
  effective: {
    confirmed: refused,
    rejected: refused,
    appealed: state("disputed", "effective"),
    upheld: refused,
    reversed: state("reversed"),
  },
  pending_review: {
    confirmed: state("effective"),
    rejected: state("rejected"),
    appealed: state("disputed", "pending_review"),
    upheld: refused,
    reversed: state("reversed"),
  },
  capped: {
    confirmed: refused,
    rejected: refused,
    appealed: state("disputed", "capped"),
    upheld: refused,
    reversed: state("reversed"),
  },
  "disputed (was effective)": {
    confirmed: refused,
    rejected: refused,
    appealed: refused,
    upheld: state("effective"),
    reversed: state("reversed"),
  },
  "disputed (was pending_review)": {
    confirmed: refused,
    rejected: refused,
    appealed: refused,
    upheld: state("pending_review"),
    reversed: state("reversed"),
  },
  "disputed (was capped)": {
    confirmed: refused,
    rejected: refused,
    appealed: refused,
    upheld: state("capped"),
    reversed: state("reversed"),
  },
  reversed: {
    confirmed: refused,
    rejected: refused,
    appealed: refused,
    upheld: refused,
    reversed: refused,
  },
  rejected: {
    confirmed: refused,
    rejected: refused,
    appealed: refused,
    upheld: refused,
    reversed: refused,
  },
};

const pairs = Object.entries(table).flatMap(([name, row]) =>
  transitionKinds.map((kind) => [name, kind, row[kind]] as const),
);

describe("applyTransition", () => {
  it("covers every stored status and every transition kind", () => {
    expect(new Set(Object.values(states).map((entry) => entry.status))).toEqual(
      new Set(storedStatuses),
    );
    expect(pairs).toHaveLength(Object.keys(states).length * transitionKinds.length);
  });

  it.each(pairs)("%s + %s -> %j", (name, kind, expected) => {
    const result = applyTransition(states[name] as EntryState, kind);
    if (expected === refused) {
      expect(result).toEqual({ ok: false, reason: expect.any(String) });
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(10);
    } else {
      expect(result).toEqual({ ok: true, state: expected });
    }
  });

  it("refuses an upheld appeal on a disputed entry that forgot its earlier status", () => {
    expect(applyTransition(state("disputed"), "upheld").ok).toBe(false);
  });
});

describe("foldTransitions", () => {
  it.each([
    ["effective", [], state("effective")],
    ["pending_review", ["confirmed"], state("effective")],
    ["pending_review", ["rejected"], state("rejected")],
    ["effective", ["appealed", "upheld"], state("effective")],
    ["effective", ["appealed", "upheld", "appealed", "reversed"], state("reversed")],
    ["pending_review", ["appealed", "upheld", "confirmed"], state("effective")],
    ["capped", ["appealed", "upheld"], state("capped")],
    ["effective", ["reversed"], state("reversed")],
  ] as const)("folds %s + %j", (initial, kinds, expected) => {
    expect(foldTransitions(initial, kinds)).toEqual(expected);
  });

  it.each([
    ["effective", ["confirmed"]],
    ["pending_review", ["confirmed", "confirmed"]],
    ["effective", ["reversed", "appealed"]],
    ["effective", ["upheld"]],
  ] as const)("throws on the corrupt log %s + %j", (initial, kinds) => {
    expect(() => foldTransitions(initial, kinds)).toThrow(/corrupt transition log/);
  });

  it("agrees with applying transitions one by one, and keeps its invariants", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("effective", "pending_review", "capped" as const),
        fc.array(fc.constantFrom(...transitionKinds), { maxLength: 12 }),
        (initial, attempted) => {
          let current = initialState(initial);
          const applied: TransitionKind[] = [];
          for (const kind of attempted) {
            const result = applyTransition(current, kind);
            if (!result.ok) continue;
            // Final statuses never change again.
            expect(["reversed", "rejected"]).not.toContain(current.status);
            current = result.state;
            applied.push(kind);
            expect(current.statusBeforeDispute !== undefined).toBe(current.status === "disputed");
            expect(current.statusBeforeDispute).not.toBe("disputed");
          }
          expect(foldTransitions(initial, applied)).toEqual(current);
          // An entry only becomes effective from where it was effective, or by confirmation.
          if (current.status === "effective" && initial !== "effective") {
            expect(applied).toContain("confirmed");
          }
          // Nothing ever turns into a capped entry but a capped one.
          if (current.status === "capped") expect(initial).toBe("capped");
        },
      ),
      { numRuns: 500 },
    );
  });
});
