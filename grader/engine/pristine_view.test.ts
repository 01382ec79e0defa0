import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { snapshotPath } from "./pristine.ts";
import { blobId, PristineView } from "./pristine_view.ts";

const git = (cwd: string, ...a: string[]) =>
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...a], { cwd, encoding: "utf8" });

/** A git repository with two exercises of one stub each, committed. */
function repo(tag: string, o: { sha256?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), `pristine-view-${tag}-`));
  for (const d of ["01_add", "02_sub"]) {
    mkdirSync(join(root, "exercises", d), { recursive: true });
    writeFileSync(join(root, "exercises", d, "stub.ts"), `// pristine ${d}\n`);
  }
  git(root, "init", "-q", ...(o.sha256 ? ["--object-format=sha256"] : []));
  git(root, "add", ".");
  git(root, "commit", "-q", "-m", "stubs");
  return root;
}

describe("blobId()", () => {
  it("blobId() is git's own id of the bytes, SHA-1 and SHA-256", () => {
    const root = mkdtempSync(join(tmpdir(), "pristine-view-blob-"));
    try {
      const bytes = new TextEncoder().encode("héllo\r\nworld\0\n");
      writeFileSync(join(root, "f"), bytes);
      const sha1 = git(root, "hash-object", "f").stdout.trim();
      assert.equal(blobId(bytes, 40), sha1);
      git(root, "init", "-q", "--object-format=sha256");
      const sha256 = git(root, "hash-object", "f").stdout.trim();
      assert.equal(sha256.length, 64);
      assert.equal(blobId(bytes, 64), sha256);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("PristineView", () => {
  it("PristineView.isEdited() tells edited, deleted and pristine stubs apart from one reading of git", () => {
    const root = repo("edits");
    try {
      const view = new PristineView(root);
      assert.equal(view.isEdited("01_add", "stub.ts"), false);
      writeFileSync(join(root, "exercises", "01_add", "stub.ts"), "// mine\n");
      unlinkSync(join(root, "exercises", "02_sub", "stub.ts"));
      assert.equal(view.isEdited("01_add", "stub.ts"), true, "an edited stub");
      assert.equal(view.isEdited("02_sub", "stub.ts"), true, "a deleted stub counts as edited");
      assert.equal(view.isEdited("03_none", "stub.ts"), null, "a file git never had");
      writeFileSync(join(root, "exercises", "01_add", "stub.ts"), "// pristine 01_add\n");
      assert.equal(view.isEdited("01_add", "stub.ts"), false, "saved back as it was");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("PristineView.isEdited() works in a SHA-256 repository", () => {
    const root = repo("sha256", { sha256: true });
    try {
      assert.equal(new PristineView(root).isEdited("01_add", "stub.ts"), false);
      writeFileSync(join(root, "exercises", "01_add", "stub.ts"), "// mine\n");
      assert.equal(new PristineView(root).isEdited("01_add", "stub.ts"), true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("PristineView.isEdited() reads the upstream branch before HEAD, and the snapshot before git", () => {
    const upstream = repo("up");
    const clone = mkdtempSync(join(tmpdir(), "pristine-view-clone-"));
    try {
      assert.equal(git(clone, "clone", "-q", upstream, ".").status, 0);
      writeFileSync(join(clone, "exercises", "01_add", "stub.ts"), "// mine\n");
      git(clone, "commit", "-q", "-am", "my work");
      assert.equal(new PristineView(clone).isEdited("01_add", "stub.ts"), true, "HEAD is mine");
      const snap = snapshotPath(clone, "01_add", "stub.ts");
      mkdirSync(join(snap, ".."), { recursive: true });
      writeFileSync(snap, "// mine\n");
      assert.equal(new PristineView(clone).isEdited("01_add", "stub.ts"), false, "the snapshot");
    } finally {
      rmSync(upstream, { recursive: true, force: true });
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it("PristineView.isEdited() is null outside git and without a snapshot", () => {
    const root = mkdtempSync(join(tmpdir(), "pristine-view-none-"));
    try {
      mkdirSync(join(root, "exercises", "01_add"), { recursive: true });
      writeFileSync(join(root, "exercises", "01_add", "stub.ts"), "x");
      assert.equal(new PristineView(root).isEdited("01_add", "stub.ts"), null);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
