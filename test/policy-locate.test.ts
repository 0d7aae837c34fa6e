// Locating config paths in talc's own output from how the encoder laid it
// out must give exactly what reading the text back with the YAML library
// gives: every key and item of real and generated configs, and paths that
// go past what exists.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";
import { encodeConfig } from "../compiler/emit/encode.ts";
import type { ConfigDocument } from "../compiler/load/config.ts";
import { encodedLocator, yamlLocator } from "../compiler/policy/locate.ts";
import { runMap, withLintRun } from "../compiler/policy/provenance.ts";
import { child, parsePath } from "../compiler/policy/util.ts";
import { CONTRACTS } from "../compiler/talos/contract.ts";
import { seal } from "../compiler/talos/typed.ts";
import { rng } from "../scripts/fuzz.ts";
import { baseConfig } from "./rules/harness.ts";

// Every path to a key or item of a value, and a few that do not exist below and beside them.
function paths(v: unknown, at = "", out: string[] = []): string[] {
  out.push(at, child(at, "nope"), child(at, 0), child(at, 7));
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, child(at, i), out));
  else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) paths(x, child(at, k), out);
  return out;
}

// The reference both locators must agree with: the YAML library reading the whole text at once (once per text).
function libraryLocator(text: string): (index: number, path: string) => { line: number; column: number } | undefined {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  const docs = (Array.isArray(parsed) ? parsed : []).filter((d) => d.contents !== null);
  const pos = (offset: number): { line: number; column: number } => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return (index, path) => {
    let node = (docs[index]?.contents ?? null) as YamlNode | null;
    let best = node?.range ? pos(node.range[0]) : undefined;
    for (const seg of parsePath(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) break;
        if ((pair.key as YamlNode).range) best = pos((pair.key as YamlNode).range![0]);
        node = (pair.value as YamlNode | null) ?? null;
      } else if (isSeq(node) && typeof seg === "number" && node.items[seg] !== undefined) {
        node = node.items[seg] as YamlNode;
        if (node.range) best = pos(node.range[0]);
      } else break;
    }
    return best;
  };
}

function sameAsReadBack(docs: ConfigDocument[]): number {
  for (const d of docs) seal(d);
  const text = encodeConfig(docs);
  const ours = encodedLocator(text, docs, "1.14");
  assert.ok(ours !== undefined, "talc's own encoding of sealed documents gets the layout locator");
  const read = yamlLocator(text);
  const library = libraryLocator(text);
  let checked = 0;
  docs.forEach((doc, i) => {
    for (const path of paths(doc)) {
      const want = library(i, path);
      assert.deepEqual(ours.find(i, path), want, `document ${i} path ${JSON.stringify(path)} in\n${text}`);
      assert.deepEqual(read.find(i, path), want, `read back: document ${i} path ${JSON.stringify(path)} in\n${text}`);
      checked++;
    }
  });
  // past the last document there is nothing to find
  assert.equal(ours.find(docs.length, ""), undefined);
  assert.equal(read.find(docs.length, ""), undefined);
  return checked;
}

// Keys that read back as written (plain or quoted), and keys that make the locator read the text back.
const KEYS = ["a", "b.c", "x-y", "node-role.kubernetes.io/control-plane", "true", "True", "null", "1", "01", "0x1F", "1e3", "-", "---", "yes", "~", "_"];
const ODD_KEYS = ["x y", "é", "q'", 'd"', "a:b", "#c", "k\nl", "<<", "a\\b", " lead", "tab\t", ""];

function genKey(r: () => number): string {
  return r() < 0.9 ? KEYS[Math.floor(r() * KEYS.length)] : ODD_KEYS[Math.floor(r() * ODD_KEYS.length)];
}
const STRINGS = ["v", "", "a\nb\n", "a\nb", "  lead", "null", "1.10", "---", "- x", "# c", "x: y", "multi\n\nline\n", "é", "'q'", "trail "];

function genValue(r: () => number, depth: number): unknown {
  const n = Math.floor(r() * (depth > 3 ? 4 : 8));
  switch (n) {
    case 0:
      return STRINGS[Math.floor(r() * STRINGS.length)];
    case 1:
      return Math.floor(r() * 2000) - 1000;
    case 2:
      return r() < 0.5;
    case 3:
      return null;
    case 4:
    case 5: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) out[genKey(r)] = genValue(r, depth + 1);
      return out;
    }
    default:
      return Array.from({ length: Math.floor(r() * 4) }, () => genValue(r, depth + 1));
  }
}

describe("locating in talc's own encoding", () => {
  it("finds what reading back finds, in the configs talc generates", () => {
    let checked = 0;
    for (const contract of CONTRACTS) for (const role of ["controlplane", "worker"] as const) checked += sameAsReadBack(baseConfig(contract, role));
    assert.ok(checked > 1000);
  });

  it("finds what reading back finds, in documents of any shape and keys of any kind", () => {
    const r = rng(20261124);
    for (let i = 0; i < 300; i++) {
      const docs: ConfigDocument[] = [];
      for (let d = 1 + Math.floor(r() * 3); d > 0; d--) {
        const doc: Record<string, unknown> = r() < 0.3 ? { apiVersion: "v1alpha1", kind: "Unknown" + d } : {};
        for (let k = Math.floor(r() * 5); k > 0; k--) doc[genKey(r)] = genValue(r, 0);
        docs.push(doc);
      }
      sameAsReadBack(docs);
    }
  });

  it("reads a config whose document starts on its separator line where the YAML library does", () => {
    const texts = [
      "version: v1alpha1\nmachine:\n  type: worker\n--- {apiVersion: v1alpha1, kind: KubeletConfig, image: x}\n",
      "# the config\n--- # first\nversion: v1alpha1\n---   {a: [1, {b: 2}]}\n---\nc: 3\n",
      "a: 1\n--- {x: [y]}\n---\nb:\n  - 1\n",
    ];
    for (const text of texts) {
      const read = yamlLocator(text);
      const library = libraryLocator(text);
      for (let i = 0; i < 4; i++) {
        for (const path of ["", "machine.type", "image", "kind", "a", "a[1].b", "c", "x[0]", "b[0]", "nope"]) {
          assert.deepEqual(read.find(i, path), library(i, path), `document ${i} path ${JSON.stringify(path)} in\n${text}`);
        }
      }
    }
  });

  it("is not used for a text that is not exactly the documents' encoding, or for documents that may change", () => {
    const docs = baseConfig("1.13", "worker");
    for (const d of docs) seal(d);
    const text = encodeConfig(docs);
    assert.equal(encodedLocator(text.replace("machine:", "machine:\n"), docs, "1.14"), undefined);
    assert.equal(encodedLocator(text, docs.slice(1), "1.14"), undefined);
    const unsealed = structuredClone(docs);
    assert.equal(encodedLocator(text, unsealed, "1.14"), undefined);
  });

  it("reads a text as the contract's release writes it", () => {
    // 1.13's writer double-quotes a string YAML 1.1 would read as a bool; 1.14's single-quotes it
    const docs = [{ apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off" }] as unknown as ConfigDocument[];
    for (const d of docs) seal(d);
    const text = encodeConfig(docs, "1.13");
    assert.match(text, /auto: "off"/);
    assert.deepEqual(encodedLocator(text, docs, "1.13")?.find(0, "auto"), { line: 3, column: 1 });
    assert.equal(encodedLocator(text, docs, "1.14"), undefined);
  });

  it("locates documents alike in text but not the same object as the library reads them, inside a lint run", () => {
    // two nodes given the same patch: the same text, different objects
    const first = baseConfig("1.13", "worker");
    const second = structuredClone(first);
    for (const d of [...first, ...second]) seal(d);
    const text = encodeConfig(first);
    const library = libraryLocator(text);
    withLintRun(() => {
      for (const docs of [first, second]) {
        const ours = encodedLocator(text, docs, "1.14")!;
        docs.forEach((doc, i) => {
          for (const path of paths(doc)) assert.deepEqual(ours.find(i, path), library(i, path), `document ${i} path ${JSON.stringify(path)}`);
        });
      }
    });
  });

  it("runMap: one map per owner within a run, empty in the next, nothing kept outside one", () => {
    const owner = {};
    const [once, again] = withLintRun(() => [runMap(owner), runMap(owner)]);
    assert.equal(once, again, "one map per owner for the run");
    once.set("x", 1);
    assert.equal(withLintRun(() => runMap(owner).size), 0, "the next run starts empty");
    assert.notEqual(runMap(owner), runMap(owner), "outside a run nothing is kept");
  });
});
