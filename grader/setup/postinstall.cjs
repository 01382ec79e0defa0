// Runs after `npm install` / `npm ci` / `bun install` (package.json "postinstall").
//
// Why: the npm package `deno` ships a small launcher (node_modules/deno/bin.cjs) as its bin, and
// its own postinstall re-points node_modules/.bin/deno straight at the native binary. `deno task`
// runs every node_modules/.bin entry as a JavaScript file, so it then tries to parse the binary
// ("Invalid or unexpected token") and every `deno task ...` of this workbook fails. Pointing
// .bin/deno back at the launcher keeps `npx deno` working and makes `deno task` work again.
// It changes nothing when the link already points at the launcher, and never fails the install.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "..");
const link = path.join(root, "node_modules", ".bin", "deno");
const launcher = path.join(root, "node_modules", "deno", "bin.cjs");
try {
  if (
    fs.existsSync(launcher) && fs.lstatSync(link).isSymbolicLink() &&
    !fs.readlinkSync(link).endsWith("bin.cjs")
  ) {
    fs.unlinkSync(link);
    fs.symlinkSync(path.relative(path.dirname(link), launcher), link);
  }
} catch {
  // No .bin/deno (Windows shims, an install without bin links): nothing to repair.
}
