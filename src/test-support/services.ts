/**
 * Integration tests against services this machine runs (MQTT broker, NATS, PostgreSQL). When a
 * service does not answer, its tests skip and say so in one line, with how to enable them;
 * under CI (`CI=true`) they fail instead: `.ci/run` starts every service, so a missing one is
 * a broken setup, not a reason to skip. Test code only (not built).
 *
 * In a test file:
 *   const reachable = await serviceOrSkip("MQTT broker", url, () => probe(url), {
 *     enable: "start Mosquitto or set CIVIC_TEST_MQTT_URL",
 *   });
 *   describe.skipIf(!reachable)("...", () => { ... });
 */

/** A probe that answers within this long, or the service counts as unreachable. */
export const probeMillisecondsMax = 5_000;

export type ServiceOptions = Readonly<{
  /** How to make the service reachable, shown in the skip line. */
  enable?: string;
  /** CI or not; the environment's `CI` by default. */
  ci?: boolean;
  /** Where the skip line goes (console.warn by default). */
  warn?: (line: string) => void;
}>;

/**
 * True when `probe` succeeds (it should connect and do the least thing the tests need). False
 * after one visible line when it fails outside CI; under CI it throws, failing the test file.
 */
export async function serviceOrSkip(
  name: string,
  url: string,
  probe: () => Promise<unknown>,
  { enable, ci = process.env.CI === "true", warn = console.warn }: ServiceOptions = {},
): Promise<boolean> {
  try {
    await withinDeadline(probe(), probeMillisecondsMax);
    return true;
  } catch (error) {
    const reason = `${name} not reachable at ${redactPassword(url)} (${(error as Error).message})`;
    if (ci) throw new Error(`${reason}: under CI it must run; .ci/run starts it`);
    warn(`SKIPPED tests needing the ${name}: ${reason}${enable ? `: ${enable}` : ""}`);
    return false;
  }
}

function withinDeadline<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${milliseconds} ms`)),
      milliseconds,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** A URL as it may be printed: its password replaced. */
export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
