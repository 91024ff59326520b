import { describe, expect, it } from "vitest";
import { z } from "zod";
import { requestBody, successResponse } from "./responses.js";

const schema = z.object({ at: z.iso.datetime(), count: z.number().int() });

describe("documented bodies", () => {
  it("carry the response's description and its named examples", () => {
    const value = { at: "2026-06-01T12:00:00.000Z", count: 3 };
    const documented = successResponse(schema, "Counted", { three: { summary: "Three", value } });
    expect(documented.meta()).toEqual({
      description: "Counted",
      "x-examples": { three: { summary: "Three", value } },
    });
    expect(successResponse(schema, "Counted").meta()).toEqual({ description: "Counted" });
  });

  it("refuse an example the schema would not send or take", () => {
    const value = { at: "yesterday", count: 3 };
    expect(() => successResponse(schema, "Counted", { bad: { summary: "Bad", value } })).toThrow(
      /response example 'bad'/,
    );
    expect(() => requestBody(schema, { bad: { summary: "Bad", value } })).toThrow(
      /request example 'bad'/,
    );
  });
});
