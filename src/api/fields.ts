import { z } from "zod";
import { subjectIdLengthMax } from "../core/event.js";

/** Request fields shared by several routes. */
export const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,64}$/, "1 to 64 letters, digits and . _ : @ -")
  .describe("A name: 1 to 64 letters, digits and . _ : @ -");

export const subjectIdSchema = z
  .string()
  .min(1)
  .max(subjectIdLengthMax)
  .regex(/^[A-Za-z0-9._:@-]+$/, "may hold only letters, digits and . _ : @ -");

export const keyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{12}$/, "12 characters of base64url")
  .describe("The public id of a key: the part between `cck_` and the secret");

/** How many rows a list answers at most, and by default. */
export const listLimitMax = 1_000;
export const listLimitDefault = 100;

export const limitQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(listLimitMax).default(listLimitDefault),
});
