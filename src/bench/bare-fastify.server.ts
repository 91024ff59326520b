/**
 * The lookup benchmark's baseline, run as its own process: a bare Fastify route at the same path
 * that parses the same JSON body and answers a constant body shaped like an inquiry's answer.
 * No plugins, no hooks, no logging, no storage: the machine's limit for one HTTP exchange.
 */
import type { AddressInfo } from "node:net";
import Fastify from "fastify";

const answer = {
  inquiryId: 1,
  subjectId: "s0000001",
  partner: "bank-00",
  purpose: "credit",
  disclosure: "score",
  legalGround: "consent",
  at: "2026-11-26T12:00:00.000Z",
  score: 1000,
} as const;

const app = Fastify({ logger: false });
app.post("/v1/inquiries", async () => answer);
await app.listen({ host: "127.0.0.1", port: 0 });
const { port } = app.server.address() as AddressInfo;
process.stdout.write(`bare fastify: serving /v1/inquiries at http://127.0.0.1:${port}\n`);
process.once("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
