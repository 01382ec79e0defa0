/**
 * Test data for the HTML report's browser test: a headless Chromium (the Debian package
 * `chromium`) driven over the Chrome DevTools Protocol, with no dependency: the browser is
 * started with `--remote-debugging-port=0`, prints its WebSocket address on stderr, and the
 * runtime's own WebSocket (Deno and Bun both have one) speaks the protocol. A page records every
 * console error, uncaught exception, log entry of level error (a refused load, a CSP violation)
 * and every request it makes.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** Names the browser goes by; `CHROMIUM_BIN` names one explicitly. */
const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/**
 * The Chromium binary on PATH (or `CHROMIUM_BIN`), or null.
 *
 * @returns An absolute path, or null when none is installed.
 */
export function findChromium(): string | null {
  const forced = process.env.CHROMIUM_BIN;
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const p of forced ? [forced] : dirs.flatMap((d) => NAMES.map((n) => join(d, n)))) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* not there */ }
  }
  return null;
}

/** What a page did besides drawing: errors it reported and URLs it asked for. */
export interface PageRecord {
  /** Console errors, uncaught exceptions and error log entries, as text. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
}

/** A page under the protocol. */
export interface Page {
  /** Errors and requests so far. */
  record: PageRecord;
  /** Loads a URL and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page and returns its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG screenshot, of the viewport or of a region of the page (CSS px). */
  screenshot(clip?: { x: number; y: number; width: number; height: number }): Promise<Uint8Array>;
}

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

function wsAddress(child: ChildProcess, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`chromium gave no DevTools address: ${text}`)),
      ms,
    );
    child.stderr!.on("data", (d: Buffer) => {
      text += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited (${code}) before listening: ${text.slice(-2000)}`));
    });
  });
}

/**
 * Starts a headless Chromium, opens one page, runs `fn` with it, then closes the browser and
 * removes its profile, whatever `fn` did.
 *
 * @param bin The Chromium binary.
 * @param fn What to do with the page.
 * @param viewport The window size in CSS px.
 * @returns What `fn` returned.
 */
export async function withPage<T>(
  bin: string,
  fn: (page: Page) => Promise<T>,
  viewport = { width: 1000, height: 800 },
): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), "workbook-chromium-"));
  const child = spawn(bin, [
    "--headless",
    "--no-sandbox", // root in CI containers; the page is our own report and runs no script
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    `--window-size=${viewport.width},${viewport.height}`,
    `--user-data-dir=${profile}`,
    "--remote-debugging-port=0",
    "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  let ws: WebSocket | undefined;
  try {
    ws = new WebSocket(await wsAddress(child, 30_000));
    const socket = ws;
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("cannot reach chromium's DevTools socket"));
    });
    let next = 0;
    const pending = new Map<
      number,
      { resolve: (m: Message) => void; reject: (e: Error) => void }
    >();
    const listeners: ((m: Message) => void)[] = [];
    socket.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data)) as Message;
      const p = m.id !== undefined ? pending.get(m.id) : undefined;
      if (p) {
        pending.delete(m.id!);
        if (m.error) p.reject(new Error(m.error.message));
        else p.resolve(m);
      } else for (const l of listeners) l(m);
    };
    const send = (method: string, params: object = {}, sessionId?: string) =>
      new Promise<Message>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });
    const target = await send("Target.createTarget", { url: "about:blank" });
    const attached = await send("Target.attachToTarget", {
      targetId: target.result!.targetId,
      flatten: true,
    });
    const session = attached.result!.sessionId as string;
    const call = (method: string, params: object = {}) => send(method, params, session);
    const record: PageRecord = { errors: [], requests: [] };
    listeners.push((m) => {
      if (m.sessionId !== session || !m.params) return;
      const p = m.params as Record<string, Record<string, unknown>>;
      if (m.method === "Runtime.consoleAPICalled" && ["error", "assert"].includes(String(p.type))) {
        record.errors.push(`console.${p.type}: ${JSON.stringify(p.args)}`);
      } else if (m.method === "Runtime.exceptionThrown") {
        record.errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      } else if (m.method === "Log.entryAdded" && p.entry?.level === "error") {
        record.errors.push(`log: ${p.entry.text} ${p.entry.url ?? ""}`);
      } else if (m.method === "Network.requestWillBeSent") {
        record.requests.push(String(p.request?.url));
      }
    });
    for (const domain of ["Runtime", "Log", "Page", "Network"]) await call(`${domain}.enable`);
    await call("Emulation.setDeviceMetricsOverride", {
      ...viewport,
      deviceScaleFactor: 1,
      mobile: false,
    });
    const page: Page = {
      record,
      async goto(url) {
        const loaded = new Promise<void>((resolve) =>
          listeners.push((m) =>
            m.sessionId === session && m.method === "Page.loadEventFired" && resolve()
          )
        );
        const r = await call("Page.navigate", { url });
        if (r.result?.errorText) throw new Error(`cannot open ${url}: ${r.result.errorText}`);
        await loaded;
      },
      async evaluate<T>(expression: string) {
        const r = await call("Runtime.evaluate", { expression, returnByValue: true });
        if (r.result?.exceptionDetails) {
          throw new Error(`evaluate(${expression}): ${JSON.stringify(r.result.exceptionDetails)}`);
        }
        return (r.result!.result as { value: T }).value;
      },
      async screenshot(clip) {
        const r = await call("Page.captureScreenshot", {
          format: "png",
          captureBeyondViewport: true,
          ...(clip ? { clip: { ...clip, scale: 1 } } : {}),
        });
        const bin = atob(r.result!.data as string);
        return Uint8Array.from(bin, (c) => c.charCodeAt(0));
      },
    };
    return await fn(page);
  } finally {
    try {
      ws?.close();
    } catch { /* already closed */ }
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // The whole process group: Chromium's helpers (renderer, zygote) outlive its main process
      // and go on writing into the profile.
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is gone already; the main process is killed below in any case.
      }
      child.kill("SIGKILL");
      await exited;
    }
    await removeProfile(profile);
  }
}

/** Removes the profile folder, again while a helper that is still ending writes into it. */
async function removeProfile(profile: string): Promise<void> {
  for (let i = 0;; i++) {
    try {
      rmSync(profile, { recursive: true, force: true });
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== "ENOTEMPTY" || i >= 40) throw e;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
