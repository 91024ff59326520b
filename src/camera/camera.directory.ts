import type { SourceProfile } from "../core/source.js";
import type { Instant } from "../core/time.js";
import type { LedgerStore } from "../store/store.js";

/** Cameras remembered at most: a national deployment has tens of thousands. */
export const camerasRememberedMax = 100_000;
/** A camera's source is looked up again after this long (a new registration shows up at once). */
export const cameraFreshMillisecondsDefault = 60_000;

export type CameraLookup =
  | Readonly<{ ok: true; source: SourceProfile }>
  | Readonly<{ ok: false; message: string }>;

type Remembered = Readonly<{ source: SourceProfile; lookedUpAt: Instant }>;

/**
 * Which registered source a camera id is: a source of kind `camera` with that name. Found
 * cameras are remembered for a while, so a batch from many cameras costs few store reads;
 * unknown ids are looked up every time, so a camera registered a moment ago is taken at once.
 */
export class CameraDirectory {
  readonly #remembered = new Map<string, Remembered>();

  constructor(
    private readonly store: Pick<LedgerStore, "source">,
    private readonly freshMilliseconds: number = cameraFreshMillisecondsDefault,
  ) {
    if (!(Number.isInteger(freshMilliseconds) && freshMilliseconds >= 0)) {
      throw new Error(`freshMilliseconds must be a whole number, not ${freshMilliseconds}`);
    }
  }

  async lookUp(cameraId: string, now: Instant): Promise<CameraLookup> {
    const remembered = this.#remembered.get(cameraId);
    if (remembered && now - remembered.lookedUpAt < this.freshMilliseconds) {
      return { ok: true, source: remembered.source };
    }
    const source = await this.store.source(cameraId);
    if (!source) {
      this.#remembered.delete(cameraId);
      return {
        ok: false,
        message: `no camera '${cameraId}' is registered; register it with: civic source add ${cameraId} --kind camera --types TYPES`,
      };
    }
    if (source.kind !== "camera") {
      this.#remembered.delete(cameraId);
      return {
        ok: false,
        message: `source '${cameraId}' is of kind ${source.kind}, not a camera: only cameras report on camera topics`,
      };
    }
    // Forgetting everything at the bound is crude but bounded; the next lookups refill it.
    if (this.#remembered.size >= camerasRememberedMax) this.#remembered.clear();
    this.#remembered.set(cameraId, { source, lookedUpAt: now });
    return { ok: true, source };
  }
}
