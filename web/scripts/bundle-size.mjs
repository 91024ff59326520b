// Measures the JavaScript a first visit loads before anything else (the entry chunk and the
// chunks it imports statically, as vite's manifest lists them), gzipped, and fails the build
// over the budget. Pages are separate chunks loaded on demand and are listed apart.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

/** The budget for initial JavaScript, gzipped (issue 5: at most 250 KB). */
export const initialScriptGzipBytesMax = 250_000;

const outDirectory = new URL("../../dist/web/", import.meta.url);
const manifest = JSON.parse(await readFile(new URL(".vite/manifest.json", outDirectory), "utf8"));

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error("vite's manifest names no entry chunk");

/** The entry and every chunk reachable from it by static imports. */
const initial = new Set();
const visit = (key) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
visit(entryKey);

const gzipBytes = async (file) =>
  gzipSync(await readFile(new URL(file, outDirectory)), { level: 9 }).length;
const kilobytes = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

let initialBytes = 0;
for (const key of initial) {
  const bytes = await gzipBytes(manifest[key].file);
  initialBytes += bytes;
  console.log(`web: initial  ${kilobytes(bytes).padStart(9)}  ${manifest[key].file}`);
}
const lazy = Object.keys(manifest).filter(
  (key) => !initial.has(key) && manifest[key].file.endsWith(".js"),
);
let lazyBytes = 0;
for (const key of lazy) lazyBytes += await gzipBytes(manifest[key].file);
const styles = [...new Set([...initial].flatMap((key) => manifest[key].css ?? []))];
let styleBytes = 0;
for (const file of styles) styleBytes += await gzipBytes(file);

console.log(
  `web: initial JavaScript ${kilobytes(initialBytes)} gzipped (budget ${kilobytes(initialScriptGzipBytesMax)}); ` +
    `CSS ${kilobytes(styleBytes)}; ${lazy.length} chunks loaded on demand, ${kilobytes(lazyBytes)} in all`,
);
if (initialBytes > initialScriptGzipBytesMax) {
  console.error(
    `web: initial JavaScript is over its budget by ${kilobytes(initialBytes - initialScriptGzipBytesMax)}`,
  );
  process.exit(1);
}
