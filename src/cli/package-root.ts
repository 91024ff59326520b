import { fileURLToPath } from "node:url";

/**
 * The package's root folder, found from this file rather than the working directory; the same
 * relative path holds for src/cli (tests) and dist/cli (the installed command).
 */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

export const defaultRulebookPath = fileURLToPath(
  new URL("../../rulebooks/default.yaml", import.meta.url),
);
