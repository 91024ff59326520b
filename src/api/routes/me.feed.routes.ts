import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { PartnerKind } from "../../core/purpose.js";
import { formatInstant } from "../../core/time.js";
import { loadNotificationPage } from "../../ledger/notifications.page.js";
import {
  afterCursorSchema,
  formatInquiryCursor,
  formatNotificationCursor,
  parseInquiryCursor,
  parseNotificationCursor,
} from "../cursors.js";
import { listLimitDefault, listLimitMax } from "../fields.js";
import { bearerSecurity, problemResponses, successResponse } from "../responses.js";
import { citizenContext } from "./citizen.context.js";
import { inquirySchema, notificationSchema, presentNotification } from "./citizen.schemas.js";

/** Notifications a page holds unless asked otherwise. */
export const notificationPageDefault = 50;

const tags = ["citizens"];

const nextSchema = z.string().optional().describe("absent on the last page");

const pagingDescription =
  "at most `limit` after the cursor `after` (from the newest without it); `next` is the `after` of the next page. Follow `next` until it is absent to reach the very first.";

const inquiriesQuerySchema = z.strictObject({
  after: afterCursorSchema(parseInquiryCursor),
  limit: z.coerce.number().int().min(1).max(listLimitMax).default(listLimitDefault),
});

const notificationsQuerySchema = z.strictObject({
  after: afterCursorSchema(parseNotificationCursor),
  limit: z.coerce.number().int().min(1).max(listLimitMax).default(notificationPageDefault),
});

/**
 * Who looked at a citizen's data, and the feed of what happened to their record: both newest
 * first and paged by a cursor, so that no number of newer inquiries hides an older one.
 */
export const meFeedRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.dependencies;

  app.get(
    "/v1/me/inquiries",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "Who looked at my data, when, why, and what they learned (citizen session)",
        description: `Newest first, ${pagingDescription} Every partner query is here, allowed or refused.`,
        querystring: inquiriesQuerySchema,
        response: {
          200: successResponse(
            z.object({ inquiries: z.array(inquirySchema), next: nextSchema }),
            "one page of who asked about you, newest first; `next` pages on",
          ),
          ...problemResponses("forbidden", "validation_failed"),
        },
      },
    },
    async (request) => {
      const { subject } = await citizenContext(app, request);
      const { after, limit } = request.query;
      const [page, partners] = await Promise.all([
        store.inquiries(subject.id, { after, limit }),
        store.partners(),
      ]);
      const kinds = new Map<string, PartnerKind>(partners.map((p) => [p.name, p.kind]));
      return {
        inquiries: page.inquiries.map((inquiry) => ({
          id: inquiry.id,
          partner: inquiry.partner,
          partnerKind: kinds.get(inquiry.partner),
          purpose: inquiry.purpose,
          disclosure: inquiry.disclosure,
          allowed: inquiry.allowed,
          refusal: inquiry.refusal,
          disclosed: { ...inquiry.disclosed },
          at: formatInstant(inquiry.at),
        })),
        next: page.next && formatInquiryCursor(page.next),
      };
    },
  );

  app.get(
    "/v1/me/notifications",
    {
      config: { roles: ["subject"] },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "What happened to my record, newest first (citizen session)",
        description: `New entries, entries waiting for review and their review, appeal decisions, inquiries, rating changes, benefits gained or lost. Derived from the ledger on reading. Newest first (on equal times, in a fixed order of kinds), ${pagingDescription}`,
        querystring: notificationsQuerySchema,
        response: {
          200: successResponse(
            z.object({ notifications: z.array(notificationSchema), next: nextSchema }),
            "one page of your notifications, newest first; `next` pages on",
          ),
          ...problemResponses("forbidden", "validation_failed"),
        },
      },
    },
    async (request) => {
      const { subject, now, published } = await citizenContext(app, request);
      const { after, limit } = request.query;
      const page = await loadNotificationPage(store, {
        subject,
        rulebook: published.rulebook,
        at: now,
        after,
        limit,
      });
      return {
        notifications: page.notifications.map(presentNotification),
        next: page.next && formatNotificationCursor(page.next),
      };
    },
  );
};
