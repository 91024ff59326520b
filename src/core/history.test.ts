import { describe, expect, it } from "vitest";
import { storedStatuses } from "./entry.js";
import {
  impossibleStanding,
  replayStateOfStanding,
  replayStatesByStanding,
  standingCode,
  standingCodeCount,
} from "./history.js";
import { replayState } from "./replay.js";

describe("an entry's standing in a replay", () => {
  const stateOf = (...args: Parameters<typeof standingCode>) =>
    replayStateOfStanding(standingCode(...args));

  it("voids reversals and rejections, holds open appeals, whatever the confidence", () => {
    for (const lowConfidence of [false, true]) {
      for (const confirmed of [false, true]) {
        expect(stateOf({ status: "reversed", confirmed, lowConfidence })).toBe(replayState.void);
        expect(stateOf({ status: "rejected", confirmed, lowConfidence })).toBe(replayState.void);
        expect(stateOf({ status: "disputed", confirmed, lowConfidence })).toBe(replayState.held);
      }
    }
  });

  it("holds an unconfirmed attribution below the draft's threshold, and only that", () => {
    for (const status of ["effective", "pending_review", "capped"] as const) {
      expect(stateOf({ status, confirmed: false, lowConfidence: true })).toBe(replayState.held);
      expect(stateOf({ status, confirmed: false, lowConfidence: false })).toBe(replayState.normal);
    }
    expect(stateOf({ status: "effective", confirmed: true, lowConfidence: true })).toBe(
      replayState.normal,
    );
  });

  it("has a code for every status and flag, and refuses the rest", () => {
    const codes = new Set(
      storedStatuses.flatMap((status) =>
        [false, true].flatMap((confirmed) =>
          [false, true].map((lowConfidence) => standingCode({ status, confirmed, lowConfidence })),
        ),
      ),
    );
    expect(codes.size).toBe(storedStatuses.length * 4);
    expect(Math.max(...codes)).toBeLessThan(standingCodeCount);
    const table = replayStatesByStanding();
    table.forEach((state, code) => {
      if (codes.has(code)) expect(state).toBe(replayStateOfStanding(code));
      else expect(state).toBe(impossibleStanding);
    });
    expect(() => replayStateOfStanding(6)).toThrow(/standing code 6/);
    expect(() => replayStateOfStanding(standingCodeCount)).toThrow();
  });
});
