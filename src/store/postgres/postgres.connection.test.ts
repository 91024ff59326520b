import { describe, expect, it } from "vitest";
import {
  arrayParameter,
  isPostgresUrl,
  parsePostgresUrl,
  redactUrl,
  schemaDefault,
} from "./postgres.connection.js";

describe("PostgreSQL URLs", () => {
  it("takes the schema from the URL's schema parameter, and leaves the rest to the driver", () => {
    expect(
      parsePostgresUrl("postgres://civic@db:5432/ledger?schema=north&sslmode=require"),
    ).toEqual({
      url: "postgres://civic@db:5432/ledger?sslmode=require",
      schema: "north",
    });
    expect(parsePostgresUrl("postgresql://db/ledger")).toEqual({
      url: "postgresql://db/ledger",
      schema: schemaDefault,
    });
  });

  it("refuses what is not a PostgreSQL URL, and a schema name that would need quoting", () => {
    expect(() => parsePostgresUrl("mysql://db/ledger")).toThrow(/postgres:\/\//);
    expect(() => parsePostgresUrl("not a url")).toThrow(/not a PostgreSQL URL/);
    for (const schema of ["Civic", "1civic", "civic;drop", "a".repeat(64)]) {
      expect(() => parsePostgresUrl(`postgres://db/ledger?schema=${schema}`), schema).toThrow(
        /schema name/,
      );
    }
  });

  it("tells a PostgreSQL URL from a data folder, and hides the password in messages", () => {
    expect(isPostgresUrl("postgres://db/ledger")).toBe(true);
    expect(isPostgresUrl("postgresql://db/ledger")).toBe(true);
    expect(isPostgresUrl("./data")).toBe(false);
    expect(redactUrl("postgres://civic:secret@db/ledger")).toBe("postgres://civic:***@db/ledger");
    expect(redactUrl("postgres://civic:secret@db/ledger")).not.toContain("secret");
  });

  it("redacts a password given as a parameter too, in a valid URL or not", () => {
    expect(redactUrl("postgres://civic@db/ledger?password=secret&sslmode=require")).toBe(
      "postgres://civic@db/ledger?password=***&sslmode=require",
    );
    expect(redactUrl("postgres://civic@db/ledger?sslpassword=secret")).not.toContain("secret");
    for (const broken of [
      "postgres://civic@db:99999/ledger?password=secret",
      "postgres://civic@[db/ledger?sslmode=require&PASSWORD=secret#x",
    ]) {
      expect(redactUrl(broken)).not.toContain("secret");
    }
  });
});

describe("array parameters", () => {
  it("writes numbers bare, quotes text with its backslashes and quotes escaped, and NULL bare", () => {
    expect(arrayParameter([])).toBe("{}");
    expect(arrayParameter([1, -2, 1_700_000_000_000, 0.93])).toBe("{1,-2,1700000000000,0.93}");
    expect(arrayParameter(["A", 'say "hi"', "back\\slash", "", "NULL", null])).toBe(
      '{"A","say \\"hi\\"","back\\\\slash","","NULL",NULL}',
    );
  });

  it("refuses a number that is not finite", () => {
    expect(() => arrayParameter([Number.NaN])).toThrow(/not finite/);
    expect(() => arrayParameter([Number.POSITIVE_INFINITY])).toThrow(/not finite/);
  });
});
