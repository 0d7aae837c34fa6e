// Preloaded into a `talc build` child by test/crash.test.ts (node --import):
// counts the file-system changes the build makes inside its repository and,
// when asked, kills the process with SIGKILL just before the Nth one, or
// holds the build lock a while so that a second build meets it.
//
//   TALC_CRASH_KILL_AT=n      SIGKILL before the nth change
//   TALC_CRASH_LOG=file       write the list of changes made, when the process exits
//   TALC_CRASH_HOLD_MS=ms     sleep this long right after taking the build lock
//   TALC_CRASH_READS=file     write the list of files opened for reading, when the process exits

import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { relative, resolve } from "node:path";
import { isMainThread } from "node:worker_threads";

// Threads load this too (they inherit --import); only the main thread counts and kills, so that
// "the nth change" means one thing. The writer thread's files go into the new tree, where a kill
// at any moment is covered by the kills at fixed fractions of the run.
if (isMainThread) instrument();

function instrument() {
  const root = process.cwd();
  const killAt = Number(process.env.TALC_CRASH_KILL_AT ?? "0");
  const hold = Number(process.env.TALC_CRASH_HOLD_MS ?? "0");
  const log = process.env.TALC_CRASH_LOG;
  const changes = [];

  const inside = (p) => typeof p === "string" && !relative(root, resolve(root, p)).startsWith("..");

  const record = (name, args) => {
    const [path, second] = args;
    const mutating = name !== "open" || (typeof second === "string" && /[wax]/.test(second));
    if (!mutating || !inside(path)) return false;
    changes.push(`${name} ${relative(root, resolve(root, path))}${typeof second === "string" && name !== "open" && name !== "writeFile" ? ` -> ${relative(root, resolve(root, second))}` : ""}`);
    if (changes.length === killAt) process.kill(process.pid, "SIGKILL");
    return true;
  };
  let inSync = false;
  // Both the promise API and the synchronous one: the build uses each where it is faster.
  for (const name of ["mkdir", "writeFile", "rename", "rm", "copyFile", "link", "chmod", "unlink", "rmdir", "open"]) {
    const original = fs.promises[name];
    fs.promises[name] = async function (...args) {
      if (!record(name, args)) return original.apply(this, args);
      const result = await original.apply(this, args);
      if (hold > 0 && name === "link" && String(args[1]).endsWith(".talc-build.lock")) await new Promise((r) => setTimeout(r, hold));
      return result;
    };
    const originalSync = fs[`${name}Sync`];
    fs[`${name}Sync`] = function (...args) {
      // writeFileSync opens its file through fs.openSync: one change, counted once.
      if (inSync) return originalSync.apply(this, args);
      record(name, args);
      inSync = true;
      try {
        return originalSync.apply(this, args);
      } finally {
        inSync = false;
      }
    };
  }
  syncBuiltinESMExports();

  const reads = process.env.TALC_CRASH_READS;
  const opened = [];
  if (reads !== undefined) {
    const note = (p) => void (typeof p === "string" || p instanceof URL ? opened.push(resolve(root, p instanceof URL ? p.pathname : p)) : undefined);
    for (const name of ["readFile", "open"]) {
      const previous = fs.promises[name];
      fs.promises[name] = function (...args) {
        if (name === "readFile" || !/[wax]/.test(String(args[1] ?? "r"))) note(args[0]);
        return previous.apply(this, args);
      };
    }
    for (const name of ["readFileSync", "openSync", "readFile", "open", "createReadStream"]) {
      const original = fs[name];
      fs[name] = function (...args) {
        if (name.startsWith("readFile") || name === "createReadStream" || !/[wax]/.test(String(typeof args[1] === "string" ? args[1] : "r"))) note(args[0]);
        return original.apply(this, args);
      };
    }
    syncBuiltinESMExports();
    process.on("exit", () => fs.writeFileSync(reads, JSON.stringify(opened)));
  }

  if (log !== undefined) process.on("exit", () => fs.writeFileSync(log, JSON.stringify(changes)));
}
