import cliProgress from "cli-progress";
import type { Io } from "./io.js";

export type Progress = Readonly<{
  update: (value: number, status?: string) => void;
  stop: () => void;
  active: boolean;
}>;

const inactive: Progress = { update: () => undefined, stop: () => undefined, active: false };

/** A progress bar on stderr, drawn only for a person at a terminal (never with --json). */
export function startProgress(
  io: Io,
  { enabled, total, unit }: Readonly<{ enabled: boolean; total: number; unit: string }>,
): Progress {
  if (!enabled || !io.stderrIsTty || total <= 0) return inactive;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderrStream,
      format: `[{bar}] {percentage}% | {value}/{total} ${unit} | {status}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { status: "" });
  return {
    update: (value, status = "") => bar.update(Math.min(value, total), { status }),
    stop: () => bar.stop(),
    active: true,
  };
}
