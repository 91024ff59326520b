import { z } from "zod";
import { ratings } from "./rating.js";

/** Limits a rulebook file must stay within; the compiler refuses anything outside them. */
export const ruleCountMax = 1_000;
export const rulePointsAbsoluteMax = 1_000;
export const ruleExpiryDaysMax = 3_650;
export const capWindowDaysMax = 3_650;
export const textLengthMax = 2_000;

const eventType = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, "must look like `namespace.name` in lower case");

const nonBlank = (what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(textLengthMax);

export const capSchema = z.strictObject({
  points: z
    .number()
    .int()
    .refine((value) => value !== 0, "a cap of 0 points would refuse every event"),
  windowDays: z.number().int().min(1).max(capWindowDaysMax),
});

export const ruleSchema = z.strictObject({
  type: eventType,
  category: z.string().min(1).max(64),
  points: z.number().int().min(-rulePointsAbsoluteMax).max(rulePointsAbsoluteMax),
  expiresAfterDays: z.number().int().min(1).max(ruleExpiryDaysMax),
  cap: capSchema.optional(),
  legalBasis: nonBlank("legal basis"),
  description: nonBlank("description"),
});

export const benefitSchema = z.strictObject({
  id: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/, "must be lower case letters, digits and _"),
  name: nonBlank("name"),
  description: nonBlank("description"),
  ratingMin: z.enum(ratings),
  heldDaysMin: z.number().int().min(0).max(3_650),
});

export const rulebookSchema = z.strictObject({
  title: nonBlank("title"),
  baseScore: z.number().int().min(1).max(100_000),
  ratingThresholds: z.strictObject({
    AAA: z.number().int(),
    AA: z.number().int(),
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
  }),
  cameraConfidenceMin: z.number().gt(0).max(1),
  rules: z.array(ruleSchema).min(1).max(ruleCountMax),
  benefits: z.array(benefitSchema).max(100).default([]),
});

export type RulebookDocument = z.infer<typeof rulebookSchema>;
export type RuleDocument = z.infer<typeof ruleSchema>;
export type BenefitDocument = z.infer<typeof benefitSchema>;
