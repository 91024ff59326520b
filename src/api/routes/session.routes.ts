import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatInstant } from "../../core/time.js";
import { signInsPerMinuteMax } from "../app.js";
import {
  activateAccount,
  activationCodeLengthMax,
  passphraseCorrect,
  passphraseLengthMax,
  passphraseLengthMin,
} from "../auth/account.js";
import { issueSessionToken, sessionCookieName, sessionMilliseconds } from "../auth/session.js";
import { ApiError, rateLimitedProblem } from "../errors.js";
import { subjectIdSchema } from "../fields.js";
import { bodyErrors, problemResponses, successResponse, timeSchema } from "../responses.js";

const tags = ["citizens"];

const activateBodySchema = z.strictObject({
  subjectId: subjectIdSchema,
  activationCode: z.string().min(1).max(activationCodeLengthMax),
  passphrase: z.string().min(passphraseLengthMin).max(passphraseLengthMax),
});

const signInBodySchema = z.strictObject({
  subjectId: subjectIdSchema,
  passphrase: z.string().min(1).max(passphraseLengthMax),
});

const sessionSchema = z.object({
  token: z.string().describe("send as `Authorization: Bearer <token>`; also set as a cookie"),
  tokenType: z.literal("Bearer"),
  subjectId: z.string(),
  expiresAt: timeSchema,
});

const sessionResponse = successResponse(
  sessionSchema,
  "Signed in: a bearer token, also set as the session cookie",
  {
    signedIn: {
      summary: "A session for 12 hours",
      value: {
        token: "ccs_Yy0wMDE.1780358400000.4FduPCjHvI3lLr2_ieLNqNqgEKIbSFGVLsz7TILY2e0",
        tokenType: "Bearer",
        subjectId: "c-001",
        expiresAt: "2026-06-02T00:00:00.000Z",
      },
    },
  },
);

/**
 * Citizens activate their account with the one-time code from enrollment, then sign in with
 * their passphrase: a bearer token for the API and an HttpOnly cookie for the browser.
 */
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, clock, sessionSecret, rateLimits } = app.dependencies;
  // Guessing codes and passphrases is bounded per client address, whatever the credentials.
  const perAddress = {
    roles: "anyone" as const,
    rateLimit: {
      max: rateLimits?.signInsPerMinute ?? signInsPerMinuteMax,
      timeWindow: "1 minute",
      keyGenerator: (request: FastifyRequest) => request.ip,
      errorResponseBuilder: rateLimitedProblem("too_many_sign_ins", "attemptsMax"),
    },
  };

  app.post(
    "/v1/activate",
    {
      config: perAddress,
      schema: {
        tags,
        summary: "Set my passphrase with my one-time activation code",
        description: `The code was given at enrollment; it is spent on use and expires. The passphrase needs ${passphraseLengthMin} to ${passphraseLengthMax} characters. The same answer for an unknown subject and a wrong, spent or expired code.`,
        body: activateBodySchema,
        response: {
          200: successResponse(
            z.object({ subjectId: z.string(), activatedAt: timeSchema }),
            "Activated: sign in with the passphrase from now on",
          ),
          ...problemResponses(...bodyErrors),
        },
      },
    },
    async (request) => {
      const now = clock();
      const activated = await activateAccount(store, request.body, now);
      if (!activated) {
        throw new ApiError("unauthenticated", "the activation code is invalid, spent or expired", {
          reason: "invalid_activation_code",
        });
      }
      return { subjectId: request.body.subjectId, activatedAt: formatInstant(now) };
    },
  );

  app.post(
    "/v1/session",
    {
      config: perAddress,
      schema: {
        tags,
        summary: "Sign in with my subject id and passphrase",
        description: `Answers a bearer token and sets the \`${sessionCookieName}\` cookie (HttpOnly, SameSite=Strict, Secure over https). At most ${signInsPerMinuteMax} attempts per minute per address. The same answer for an unknown subject and a wrong passphrase.`,
        body: signInBodySchema,
        response: { 200: sessionResponse, ...problemResponses(...bodyErrors) },
      },
    },
    async (request, reply) => {
      const { subjectId, passphrase } = request.body;
      if (!(await passphraseCorrect(store, { subjectId, passphrase }))) {
        throw new ApiError("unauthenticated", "the subject id or the passphrase is wrong", {
          reason: "wrong_credentials",
        });
      }
      const expiresAt = clock() + sessionMilliseconds;
      const token = issueSessionToken(subjectId, expiresAt, sessionSecret);
      reply.setCookie(sessionCookieName, token, {
        ...cookieOptions(request),
        maxAge: Math.floor(sessionMilliseconds / 1000),
      });
      return {
        token,
        tokenType: "Bearer" as const,
        subjectId,
        expiresAt: formatInstant(expiresAt),
      };
    },
  );

  app.delete(
    "/v1/session",
    {
      config: { roles: "anyone" },
      schema: {
        tags,
        summary: "Sign out: clear the session cookie",
        description:
          "Tokens are stateless and signed; a copied bearer token stays valid until it expires (12 hours).",
        response: { 204: z.null().describe("signed out"), ...problemResponses() },
      },
    },
    async (request, reply) => {
      reply.clearCookie(sessionCookieName, cookieOptions(request));
      return reply.status(204).send(null);
    },
  );
};

function cookieOptions(request: FastifyRequest) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "strict" as const,
    secure: request.protocol === "https",
  };
}
