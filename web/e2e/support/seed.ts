import type { WebServer } from "./server.js";

/** One JSON request to the API; anything but a success throws with the answer. */
export async function api<T = Record<string, unknown>>(
  server: WebServer,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: Readonly<{ key?: string; body?: unknown }> = {},
): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === "" ? {} : JSON.parse(text)) as T;
}

export const passphrase = "correct horse battery staple";
const dayMilliseconds = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * dayMilliseconds).toISOString();

export type World = Readonly<{
  keys: Readonly<{
    police: string;
    camera: string;
    volunteers: string;
    bank: string;
    reviewer: string;
  }>;
  citizen: string;
  /** The citizen's entries by what they are. */
  entries: Readonly<{
    redLight: number;
    volunteering: number;
    bloodDonation: number;
    littering: number;
    camera: number;
  }>;
}>;

/**
 * A small city, set up only through the API as its operators would: sources and a partner
 * with their keys, a reviewer, enrolled people who activated their accounts, and reports.
 */
export async function seedWorld(server: WebServer): Promise<World> {
  const admin = server.adminKey;
  const post = <T = Record<string, unknown>>(path: string, body: unknown, key = admin) =>
    api<T>(server, "POST", path, { key, body });
  await post("/v1/sources", {
    name: "traffic-police",
    kind: "agency",
    allowedTypes: ["traffic.*", "public.*"],
  });
  await post("/v1/sources", { name: "camera-7", kind: "camera", allowedTypes: ["traffic.*"] });
  await post("/v1/sources", {
    name: "volunteer-office",
    kind: "agency",
    allowedTypes: ["civic.*"],
  });
  await post("/v1/partners", { name: "city-bank", kind: "bank", purposes: ["credit"] });
  const issue = async (role: string, principal: string) =>
    (await post<{ key: string }>("/v1/credentials", { role, principal })).key;
  const keys = {
    police: await issue("source", "traffic-police"),
    camera: await issue("source", "camera-7"),
    volunteers: await issue("source", "volunteer-office"),
    bank: await issue("partner", "city-bank"),
    reviewer: await issue("reviewer", "rita"),
  };
  const people = [
    { id: "c-001", region: "north" },
    { id: "c-002", region: "north" },
    { id: "c-003", region: "south" },
  ];
  const enrolled = await post<{ subjects: Array<{ id: string; activationCode: string }> }>(
    "/v1/subjects",
    {
      subjects: people,
    },
  );
  for (const person of enrolled.subjects) {
    await post("/v1/activate", {
      subjectId: person.id,
      activationCode: person.activationCode,
      passphrase,
    });
  }
  const report = async (key: string, event: Record<string, unknown>) => {
    const answer = await post<{ outcomes: Array<{ outcome: string; entryId: number }> }>(
      "/v1/events",
      { events: [{ subject: "c-001", ...event }] },
      key,
    );
    const [outcome] = answer.outcomes;
    if (outcome?.outcome !== "accepted")
      throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
    return outcome.entryId;
  };
  const entries = {
    redLight: await report(keys.police, {
      id: "tp-1",
      type: "traffic.red_light",
      occurredAt: daysAgo(40),
      evidence: {
        description: "Drove through a red light at Renmin Rd / Beihai Rd",
        reference: "TP-1",
      },
    }),
    volunteering: await report(keys.volunteers, {
      id: "vol-1",
      type: "civic.volunteering",
      occurredAt: daysAgo(20),
      evidence: { description: "Food bank shift, 4 hours", reference: "VOL-88121" },
    }),
    bloodDonation: await report(keys.volunteers, {
      id: "bd-1",
      type: "civic.blood_donation",
      occurredAt: daysAgo(10),
      evidence: { description: "Whole blood donation", reference: "BD-51190" },
    }),
    littering: await report(keys.police, {
      id: "tp-2",
      type: "public.littering",
      occurredAt: daysAgo(5),
      evidence: { description: "Dropped a cup on Beihai Rd", reference: "TP-2" },
    }),
    camera: await report(keys.camera, {
      id: "cam-1",
      type: "traffic.jaywalking",
      occurredAt: daysAgo(2),
      confidence: 0.62,
      region: "north",
      attributes: { signal_phase: "red", seconds_into_red: 4 },
      evidence: {
        description: "Crossing against the signal, camera 7",
        url: "https://evidence.example/cam-1",
      },
    }),
  };
  // Others in both regions, so that the dashboard has a distribution to show.
  for (const [index, subject] of ["c-002", "c-003"].entries()) {
    await post(
      "/v1/events",
      {
        events: [
          {
            id: `vol-other-${index}`,
            subject,
            type: "civic.blood_donation",
            occurredAt: daysAgo(3 + index),
            evidence: { description: "Whole blood donation" },
          },
        ],
      },
      keys.volunteers,
    );
  }
  return { keys, citizen: "c-001", entries };
}
