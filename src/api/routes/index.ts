import type { FastifyInstance } from "fastify";
import { appealRoutes } from "./appeals.routes.js";
import { auditRoutes } from "./audit.routes.js";
import { credentialRoutes } from "./credentials.routes.js";
import { eventRoutes } from "./events.routes.js";
import { inquiryRoutes } from "./inquiries.routes.js";
import { meConsentRoutes } from "./me.consents.routes.js";
import { meEntryRoutes } from "./me.entries.routes.js";
import { meFeedRoutes } from "./me.feed.routes.js";
import { meRoutes } from "./me.routes.js";
import { opsRoutes } from "./ops.routes.js";
import { partnerRoutes } from "./partners.routes.js";
import { reviewRoutes } from "./reviews.routes.js";
import { rulebookRoutes } from "./rulebooks.routes.js";
import { sessionRoutes } from "./session.routes.js";
import { sourceRoutes } from "./sources.routes.js";
import { statisticsRoutes } from "./statistics.routes.js";
import { subjectRoutes } from "./subjects.routes.js";
import { whatIfRoutes } from "./whatif.routes.js";
import { whoamiRoutes } from "./whoami.routes.js";

/**
 * Every route module of the API, each a Fastify plugin with zod schemas for params, query,
 * body and every response (they drive validation and the OpenAPI document at /docs).
 * Add one line per module.
 */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(opsRoutes);
  await app.register(rulebookRoutes);
  await app.register(eventRoutes);
  await app.register(subjectRoutes);
  await app.register(credentialRoutes);
  await app.register(sourceRoutes);
  await app.register(partnerRoutes);
  await app.register(statisticsRoutes);
  await app.register(auditRoutes);
  await app.register(sessionRoutes);
  await app.register(meRoutes);
  await app.register(meEntryRoutes);
  await app.register(meConsentRoutes);
  await app.register(meFeedRoutes);
  await app.register(inquiryRoutes);
  await app.register(reviewRoutes);
  await app.register(appealRoutes);
  await app.register(whatIfRoutes);
  await app.register(whoamiRoutes);
}
