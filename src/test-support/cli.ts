/** Runs the CLI in this process with captured output: for help and flag tests. Test code only. */
import { PassThrough, Readable } from "node:stream";
import { main } from "../cli/main.js";

export type CapturedRun = Readonly<{ status: number; stdout: string; stderr: string }>;

export async function runMain(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CapturedRun> {
  let stdout = "";
  let stderr = "";
  const status = await main(["node", "civic", ...args], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrStream: new PassThrough(),
    stderrIsTty: false,
    stdin: Readable.from([]),
    env,
  });
  return { status, stdout, stderr };
}
