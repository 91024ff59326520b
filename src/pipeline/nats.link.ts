import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";

/** `civic gateway` and `civic worker` talk to this NATS server unless told otherwise. */
export const natsUrlDefault = "nats://127.0.0.1:4222";
/** Between two attempts to reach a NATS server that is down, first or after a loss. */
export const natsRetryMilliseconds = 1_000;
/** A connection attempt that has not succeeded by then has failed. */
export const natsConnectTimeoutMilliseconds = 2_000;
/** A server that answers no ping for this long (two missed pings) is taken as lost. */
const pingIntervalMilliseconds = 5_000;
/** Closing waits this long at most for what is buffered to reach the server. */
const drainMillisecondsMax = 5_000;

export type NatsLinkState = "connecting" | "connected" | "reconnecting" | "closed";

export type NatsLinkEvent = Readonly<{ state: NatsLinkState; message: string }>;

export type NatsLinkOptions = Readonly<{
  /** One URL, or several separated by commas (the servers of one cluster). */
  servers: string;
  /** The client name the server lists (`nats server report connections`). */
  name: string;
  onEvent?: (event: NatsLinkEvent) => void;
}>;

/**
 * A connection to NATS that is kept up: it is made in the background and made again whenever it
 * is lost, for as long as the link is open. The gateway asks it whether NATS is reachable right
 * now (and refuses events at once when not); the worker waits for it.
 */
export type NatsLink = Readonly<{
  servers: string;
  state(): NatsLinkState;
  /** The connection while it is up; undefined while NATS is unreachable. */
  connection(): NatsConnection | undefined;
  /** The connection, once it is up; rejects when the link is closed first. */
  connected(): Promise<NatsConnection>;
  /** Sends what is buffered, then closes; a link that never connected just stops trying. */
  close(): Promise<void>;
}>;

export function openNatsLink({
  servers,
  name,
  onEvent = () => undefined,
}: NatsLinkOptions): NatsLink {
  let state: NatsLinkState = "connecting";
  let current: NatsConnection | undefined;
  let waiters: Array<{ resolve: (value: NatsConnection) => void; reject: (error: Error) => void }> =
    [];
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;

  const setState = (next: NatsLinkState, message: string) => {
    state = next;
    onEvent({ state: next, message });
    if (next === "connected" && current) {
      for (const waiter of waiters) waiter.resolve(current);
      waiters = [];
    }
    if (next === "closed") {
      for (const waiter of waiters)
        waiter.reject(new Error(`the NATS link to ${servers} is closed`));
      waiters = [];
    }
  };

  const watch = async (connection: NatsConnection) => {
    for await (const status of connection.status()) {
      if (state === "closed") return;
      if (status.type === "disconnect") {
        setState("reconnecting", `lost the connection to NATS at ${servers}; reconnecting`);
      } else if (status.type === "reconnect") {
        setState("connected", `reconnected to NATS at ${servers}`);
      }
    }
  };

  const connectLoop = async () => {
    let attempts = 0;
    while (state === "connecting") {
      attempts++;
      try {
        const connection = await connect({
          servers: servers.split(","),
          name,
          timeout: natsConnectTimeoutMilliseconds,
          maxReconnectAttempts: -1,
          reconnectTimeWait: natsRetryMilliseconds,
          pingInterval: pingIntervalMilliseconds,
          maxPingOut: 2,
        });
        if (state !== "connecting") {
          await connection.close();
          return;
        }
        current = connection;
        void watch(connection);
        setState("connected", `connected to NATS at ${servers}`);
        return;
      } catch (error) {
        if (attempts === 1) {
          onEvent({
            state,
            message: `NATS at ${servers} is unreachable (${(error as Error).message}); retrying every ${natsRetryMilliseconds / 1000} s`,
          });
        }
        await new Promise<void>((resolve) => {
          wakeRetry = resolve;
          retryTimer = setTimeout(resolve, natsRetryMilliseconds);
        });
      }
    }
  };
  void connectLoop();

  return {
    servers,
    state: () => state,
    connection: () => (state === "connected" ? current : undefined),
    connected: () =>
      state === "connected" && current
        ? Promise.resolve(current)
        : state === "closed"
          ? Promise.reject(new Error(`the NATS link to ${servers} is closed`))
          : new Promise((resolve, reject) => waiters.push({ resolve, reject })),
    close: async () => {
      if (state === "closed") return;
      const wasConnected = state === "connected";
      const connection = current;
      setState("closed", `closed the connection to NATS at ${servers}`);
      clearTimeout(retryTimer);
      wakeRetry?.();
      if (!connection) return;
      // Draining sends what is buffered, but waits for the server: not for one that is gone.
      if (wasConnected) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          connection.drain().catch(() => undefined),
          new Promise((resolve) => {
            timer = setTimeout(resolve, drainMillisecondsMax);
          }),
        ]);
        clearTimeout(timer);
      }
      if (!connection.isClosed()) await connection.close().catch(() => undefined);
    },
  };
}
