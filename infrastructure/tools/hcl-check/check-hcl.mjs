// Usage: node check-hcl.mjs <file-or-directory>...
// Parses every .tf, .tfvars(.example) and .hcl.example file with hashicorp/hcl (the parser OpenTofu uses) and prints one JSON
// line per file: {"file", "ok", "error"?, "body"?}, then {"files": n} (so a reader can tell the output is whole). Exit code
// 1 when any file does not parse.
// The exit code is set, never process.exit(): writes to a pipe are asynchronous on POSIX, and exiting at once drops what
// the reader has not taken yet (a busy reader lost the last files' lines that way).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";

const isHcl = (name) => /\.(tf|tfvars|tfvars\.example|hcl\.example)$/.test(name);

function* filesUnder(path) {
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === ".terraform" || entry.name === "node_modules") continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (isHcl(entry.name)) yield full;
  }
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: node check-hcl.mjs <file-or-directory>...");
  process.exitCode = 2;
}

let failed = false;
let files = 0;
for (const root of paths) {
  for (const file of filesUnder(root)) {
    // The parser picks the syntax from the name: .tfvars.example is native syntax like .tfvars.
    const name = file.replace(/\.example$/, "");
    files++;
    try {
      const body = await parse(name, readFileSync(file, "utf8"));
      console.log(JSON.stringify({ file, ok: true, body }));
    } catch (error) {
      failed = true;
      console.log(JSON.stringify({ file, ok: false, error: String(error?.message ?? error) }));
    }
  }
}
if (paths.length > 0) {
  console.log(JSON.stringify({ files }));
  process.exitCode = failed ? 1 : 0;
}
