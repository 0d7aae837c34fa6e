// The patch engine on its own fixtures: every merge rule, `$patch: delete`,
// JSON6902, typed decoding, patch loading and derivation, table-driven;
// then seeded property tests over generated configs and patches; then bad
// input and the CLI. Talos's own test data is in patch-conformance.test.ts.

import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { patchCommand } from "../compiler/cli/patch.ts";
import { encodeConfig } from "../compiler/emit/encode.ts";
import { validateDocuments } from "../compiler/validate/index.ts";
import { TalcError } from "../compiler/errors.ts";
import type { ConfigDocument } from "../compiler/load/config.ts";
import {
  applyPatches,
  derivePatch,
  JsonPatch,
  loadPatch,
  MULTI_DOCUMENT_REASON,
  parseGoYaml,
  parsePatch,
  patchConfigText,
  StrategicPatch,
  type PatchInput,
} from "../compiler/patch/index.ts";
import { mergeValue } from "../compiler/patch/merge.ts";
import type { Contract } from "../compiler/talos/contract.ts";
import { MERGE_RULES } from "../compiler/talos/merge.ts";
import { codecTable, decodeDocument, encodesEqual, encodeValue, normalizeDocument, typeSystem, TypeSystem, YamlScalar, type GoType } from "../compiler/talos/typed.ts";
import { runCommand, tempDir, treeHash } from "./helpers/cli.ts";
import { rng } from "../scripts/fuzz.ts";

// A value with its mappings' keys sorted, so that JSON compares it as data.
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return typeof v === "number" && Number.isNaN(v) ? "NaN" : typeof v === "bigint" ? `${v}n` : v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

// ---------------------------------------------------------------------------
// helpers

function docs(yaml: string): ConfigDocument[] {
  return parseGoYaml(yaml, "config.yaml") as ConfigDocument[];
}

/** The config as Talos writes it: normalised through the engine with no patch. */
function talos(yaml: string, contract?: Contract): string {
  return encodeConfig(applyPatches(docs(yaml), [], { contract }));
}

function patched(config: string, patches: string[], contract?: Contract): string {
  return encodeConfig(applyPatches(docs(config), patches.map((p, i) => parsePatch(p, `patch${i + 1}.yaml`, { contract })), { contract }));
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Asserts a TalcError whose message, file and path match. */
function assertTalcError(fn: () => unknown, want: { message?: RegExp; file?: string; path?: RegExp }): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TalcError, `expected a TalcError, got ${String(e)}`);
    if (want.message) assert.match(e.message, want.message);
    if (want.file !== undefined) assert.equal(e.file, want.file);
    if (want.path) assert.match(e.path ?? "", want.path);
    return true;
  });
}

const V1 = "version: v1alpha1\n";
const link = (name: string, body = ""): string => `apiVersion: v1alpha1\nkind: LinkConfig\nname: ${name}\n${body}`;
const mirror = (body: string): string => `apiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: docker.io\n${body}`;

interface Case {
  name: string;
  config: string;
  patches: string[];
  /** The expected config, in any YAML form (normalised before comparing). */
  expected?: string;
  error?: RegExp;
  contract?: Contract;
}

function runCases(cases: Case[]): void {
  for (const c of cases) {
    test(c.name, () => {
      if (c.error !== undefined) {
        assert.throws(() => patched(c.config, c.patches, c.contract), (e: unknown) => e instanceof TalcError && c.error!.test(e.format()));
        return;
      }
      assert.equal(patched(c.config, c.patches, c.contract), talos(c.expected!, c.contract));
    });
  }
}

// ---------------------------------------------------------------------------
// merge rules, end to end on Talos's types

describe("documents", () => {
  runCases([
    {
      name: "the v1alpha1 document is matched by version",
      config: `${V1}machine: {type: worker, network: {hostname: a}}`,
      patches: ["machine: {network: {hostname: b}}"],
      expected: `${V1}machine: {type: worker, network: {hostname: b}}`,
    },
    {
      name: "documents are matched by apiVersion, kind and name",
      config: `${link("eth0", "mtu: 1500")}\n---\n${link("eth1", "mtu: 1500")}`,
      patches: [link("eth1", "mtu: 9000")],
      expected: `${link("eth0", "mtu: 1500")}\n---\n${link("eth1", "mtu: 9000")}`,
    },
    {
      name: "an unmatched patch document is appended",
      config: link("eth0"),
      patches: [link("eth1", "mtu: 9000")],
      expected: `${link("eth0")}\n---\n${link("eth1", "mtu: 9000")}`,
    },
    {
      name: "the v1alpha1 document is written first",
      config: link("eth0"),
      patches: [`${V1}machine: {type: worker}`],
      expected: `${V1}machine: {type: worker}\n---\n${link("eth0")}`,
    },
    {
      // (alone in a patch it is refused, as Talos then finds no config: see "patches Talos's loader refuses")
      name: "a patch document holding only its identity is skipped",
      config: link("eth0"),
      patches: [`${V1}---\n${link("eth0", "mtu: 9000")}`],
      expected: link("eth0", "mtu: 9000"),
    },
  ]);
});

describe("documents written", () => {
  test("are one sealed object wherever they are identical, and only then", () => {
    const config = `${V1}machine: {type: worker}\n---\n${link("eth0", "mtu: 1500")}\n---\n${link("eth1", "mtu: 1500")}`;
    // Two configs read apart from each other (two clusters, say), patched the same way but for eth1.
    const a = applyPatches(docs(config), [parsePatch(link("eth1", "mtu: 9000"), "a.yaml")]);
    const b = applyPatches(docs(config), [parsePatch(link("eth1", "mtu: 8000"), "b.yaml")]);
    assert.equal(a.length, 3);
    assert.ok(a[0] === b[0] && a[1] === b[1], "the v1alpha1 document and eth0 are written once");
    assert.notEqual(a[2], b[2]);
    assert.deepEqual([a[2].mtu, b[2].mtu], [9000, 8000]);
    for (const d of [...a, ...b]) assert.ok(Object.isFrozen(d));
  });

  test("hold integers beyond 2^53 in untyped fields, digit for digit", () => {
    // (looking a written document up by its text once failed on the bigint such an integer is read as)
    const patch = "machine:\n  baseRuntimeSpecOverrides:\n    linux: {resources: {memory: {limit: 9223372036854775808}}}\n";
    const out = patchConfigText(`${V1}machine: {type: worker}\n`, [parsePatch(patch, "p.yaml")]);
    assert.match(out, /^ {20}limit: 9223372036854775808$/m);
    const [doc] = applyPatches(docs(`${V1}machine: {type: worker}\n`), [parsePatch(patch, "p.yaml")]);
    assert.equal((doc.machine as { baseRuntimeSpecOverrides: { linux: { resources: { memory: { limit: unknown } } } } }).baseRuntimeSpecOverrides.linux.resources.memory.limit, 9223372036854775808n);
  });
});

describe("maps and lists", () => {
  runCases([
    {
      name: "maps merge key by key",
      config: `${V1}machine: {nodeLabels: {a: "1"}}`,
      patches: ["machine: {nodeLabels: {b: '2'}}"],
      expected: `${V1}machine: {nodeLabels: {a: "1", b: "2"}}`,
    },
    {
      name: "a map value cannot be blanked",
      config: `${V1}machine: {nodeLabels: {a: x}}`,
      patches: ["machine: {nodeLabels: {a: ''}}"],
      expected: `${V1}machine: {nodeLabels: {a: x}}`,
    },
    {
      name: "a new map key takes an empty value",
      config: `${V1}machine: {nodeLabels: {a: x}}`,
      patches: ["machine: {nodeLabels: {b: ''}}"],
      expected: `${V1}machine: {nodeLabels: {a: x, b: ""}}`,
    },
    {
      name: "lists append",
      config: `${V1}machine: {certSANs: [a]}`,
      patches: ["machine: {certSANs: [b]}"],
      expected: `${V1}machine: {certSANs: [a, b]}`,
    },
    {
      name: 'merge:"replace" lists are replaced',
      config: `${V1}cluster: {network: {podSubnets: [10.0.0.0/8], serviceSubnets: [10.96.0.0/12]}}`,
      patches: ["cluster: {network: {podSubnets: [10.1.0.0/16]}}"],
      expected: `${V1}cluster: {network: {podSubnets: [10.1.0.0/16], serviceSubnets: [10.96.0.0/12]}}`,
    },
    {
      name: 'merge:"replace" unstructured values are replaced whole',
      config: `${V1}cluster: {apiServer: {auditPolicy: {a: {b: 1}, c: 2}}}`,
      patches: ["cluster: {apiServer: {auditPolicy: {a: {d: 3}}}}"],
      expected: `${V1}cluster: {apiServer: {auditPolicy: {a: {d: 3}}}}`,
    },
    {
      name: "unstructured values merge key by key otherwise",
      config: `${V1}cluster: {apiServer: {admissionControl: [{name: P, configuration: {a: 1, l: [x]}}]}}`,
      patches: ["cluster: {apiServer: {admissionControl: [{name: P, configuration: {b: 2, l: [y]}}]}}"],
      expected: `${V1}cluster: {apiServer: {admissionControl: [{name: P, configuration: {a: 1, b: 2, l: [x, y]}}]}}`,
    },
    {
      name: "unstructured values of different types do not merge",
      config: `${V1}cluster: {apiServer: {admissionControl: [{name: P, configuration: {a: 1}}]}}`,
      patches: ["cluster: {apiServer: {admissionControl: [{name: P, configuration: {a: text}}]}}"],
      error: /merge type mismatch/,
    },
  ]);
});

describe("keyed lists", () => {
  runCases([
    {
      name: "interfaces merge by name, new ones are appended",
      config: `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 1500, addresses: [a]}, {interface: eth1}]}}`,
      patches: ["machine: {network: {interfaces: [{interface: eth0, mtu: 9000, addresses: [b]}, {interface: eth2}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 9000, addresses: [a, b]}, {interface: eth1}, {interface: eth2}]}}`,
    },
    {
      name: "two patch elements with one name merge together",
      config: `${V1}machine: {network: {interfaces: []}}`,
      patches: ["machine: {network: {interfaces: [{interface: eth0, mtu: 1}, {interface: eth0, addresses: [a]}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 1, addresses: [a]}]}}`,
    },
    {
      name: "interfaces merge by an equal device selector",
      config: `${V1}machine: {network: {interfaces: [{deviceSelector: {hardwareAddr: "aa:*"}, mtu: 1500}]}}`,
      patches: ["machine: {network: {interfaces: [{deviceSelector: {hardwareAddr: 'aa:*'}, mtu: 9000}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{deviceSelector: {hardwareAddr: "aa:*"}, mtu: 9000}]}}`,
    },
    {
      name: "a device selector with a pointer field never matches (Go compares pointers)",
      config: `${V1}machine: {network: {interfaces: [{deviceSelector: {physical: true}, mtu: 1500}]}}`,
      patches: ["machine: {network: {interfaces: [{deviceSelector: {physical: true}, mtu: 9000}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{deviceSelector: {physical: true}, mtu: 1500}, {deviceSelector: {physical: true}, mtu: 9000}]}}`,
    },
    {
      name: "VLANs merge by id",
      config: `${V1}machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 10, mtu: 1500}]}]}}`,
      patches: ["machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 10, mtu: 9000}, {vlanId: 20}]}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{interface: eth0, vlans: [{vlanId: 10, mtu: 9000}, {vlanId: 20}]}]}}`,
    },
    {
      name: "admission plugins merge by name",
      config: `${V1}cluster: {apiServer: {admissionControl: [{name: PodSecurity, configuration: {a: 1}}]}}`,
      patches: ["cluster: {apiServer: {admissionControl: [{name: PodSecurity, configuration: {b: 2}}, {name: Other}]}}"],
      expected: `${V1}cluster: {apiServer: {admissionControl: [{name: PodSecurity, configuration: {a: 1, b: 2}}, {name: Other}]}}`,
    },
    {
      name: "extension config files merge by mount path",
      config: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: x\nconfigFiles: [{content: a, mountPath: /a}]\nenvironment: [A=1]",
      patches: ["apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: x\nconfigFiles: [{content: b, mountPath: /a}, {content: c, mountPath: /c}]\nenvironment: [B=2]"],
      expected: "apiVersion: v1alpha1\nkind: ExtensionServiceConfig\nname: x\nconfigFiles: [{content: b, mountPath: /a}, {content: c, mountPath: /c}]\nenvironment: [A=1, B=2]",
    },
    {
      name: "image verification rules with the same image are replaced, not merged",
      config: "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules: [{image: a, skip: true}, {image: b, deny: true}]",
      patches: ["apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules: [{image: a, deny: true}, {image: c, skip: true}]"],
      expected: "apiVersion: v1alpha1\nkind: ImageVerificationConfig\nrules: [{image: a, deny: true}, {image: b, deny: true}, {image: c, skip: true}]",
    },
    {
      name: "extraArgs replace key by key, lists included (1.13+)",
      config: `${V1}cluster: {apiServer: {extraArgs: {a: x, b: ["1", "2"]}}}`,
      patches: ["cluster: {apiServer: {extraArgs: {b: ['3'], c: y}}}"],
      expected: `${V1}cluster: {apiServer: {extraArgs: {a: x, b: ["3"], c: y}}}`,
    },
    {
      name: "extraArgs: an empty value replaces too, written as null (1.13+)",
      config: `${V1}cluster: {apiServer: {extraArgs: {a: x}}}`,
      patches: ["cluster: {apiServer: {extraArgs: {a: ''}}}"],
      expected: `${V1}cluster: {apiServer: {extraArgs: {a: null}}}`,
    },
    {
      name: "extraArgs in 1.12 are a plain map: an empty value does not override",
      contract: "1.12",
      config: `${V1}cluster: {apiServer: {extraArgs: {a: x}}}`,
      patches: ["cluster: {apiServer: {extraArgs: {a: '', b: y}}}"],
      expected: `${V1}cluster: {apiServer: {extraArgs: {a: x, b: y}}}`,
    },
  ]);
});

describe("zero values and special types", () => {
  runCases([
    {
      name: "an empty string does not override",
      config: `${V1}machine: {network: {hostname: a}}`,
      patches: ["machine: {network: {hostname: ''}}"],
      expected: `${V1}machine: {network: {hostname: a}}`,
    },
    {
      name: "zero does not override",
      config: `${V1}cluster: {controlPlane: {endpoint: "https://a:6443", localAPIServerPort: 6443}}`,
      patches: ["cluster: {controlPlane: {localAPIServerPort: 0}}"],
      expected: `${V1}cluster: {controlPlane: {endpoint: "https://a:6443", localAPIServerPort: 6443}}`,
    },
    {
      name: "behind a pointer, zero overrides",
      config: `${V1}machine: {network: {kubespan: {mtu: 1420}}}`,
      patches: ["machine: {network: {kubespan: {mtu: 0}}}"],
      expected: `${V1}machine: {network: {kubespan: {mtu: 0}}}`,
    },
    {
      name: "a pointer boolean the patch leaves out is kept",
      config: `${V1}machine: {install: {disk: /dev/sda, wipe: true}}`,
      patches: ["machine: {install: {disk: /dev/sdb}}"],
      expected: `${V1}machine: {install: {disk: /dev/sdb, wipe: true}}`,
    },
    {
      name: "a URL merges part by part",
      config: `${V1}cluster: {controlPlane: {endpoint: "https://127.0.0.1:6443/"}}`,
      patches: ["cluster: {controlPlane: {endpoint: 'https://10.0.0.1'}}"],
      expected: `${V1}cluster: {controlPlane: {endpoint: "https://10.0.0.1/"}}`,
    },
    {
      name: "a URL keeps its query unless the patch has one",
      config: `${V1}cluster: {controlPlane: {endpoint: "https://a:6443/p?x=1"}}`,
      patches: ["cluster: {controlPlane: {endpoint: 'http://b'}}"],
      expected: `${V1}cluster: {controlPlane: {endpoint: "http://b/p?x=1"}}`,
    },
    {
      name: "types whose Merge always copies are cleared when the patch leaves them out",
      config: "apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning: {minSize: 2GB, maxSize: 10GB, diskSelector: {match: 'disk.size > 1u'}}",
      patches: ["apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning: {maxSize: 20GB}"],
      expected: "apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning: {maxSize: 20GB}",
    },
    {
      name: "an address is replaced only by a non-empty one",
      config: "apiVersion: v1alpha1\nkind: BGPInstanceConfig\nname: x\nlocalASN: 1\nrouterID: 1.1.1.1",
      patches: ["apiVersion: v1alpha1\nkind: BGPInstanceConfig\nname: x\nlocalASN: 2", "apiVersion: v1alpha1\nkind: BGPInstanceConfig\nname: x\nrouterID: 2.2.2.2"],
      expected: "apiVersion: v1alpha1\nkind: BGPInstanceConfig\nname: x\nlocalASN: 2\nrouterID: 2.2.2.2",
    },
    {
      name: "a certificate is replaced whole: a patch naming only crt empties the key",
      config: `${V1}machine: {ca: {crt: A, key: B}}`,
      patches: ["machine: {ca: {crt: C}}"],
      expected: `${V1}machine: {ca: {crt: C, key: ""}}`,
    },
    {
      name: "a disk size matcher cannot be merged into another",
      config: `${V1}machine: {install: {diskSelector: {size: ">= 10GB"}}}`,
      patches: ["machine: {install: {diskSelector: {size: '<= 1TB'}}}"],
      error: /merge not possible.*disk size matcher/,
    },
  ]);
});

describe("URLs, as Go's net/url reads and writes them", () => {
  const endpoint = (url: string): string => `${V1}cluster: {controlPlane: {endpoint: ${JSON.stringify(url)}}}`;
  const refused: Array<[string, RegExp]> = [
    ["https://ba se:6443", /invalid character " " in host name/],
    ["https://base:abc", /invalid port ":abc" after host/],
    ["https://[::1", /missing '\]' in host/],
    ["https://base:6443/a%zz", /invalid URL escape "%zz"/],
    ["https://b%41se:6443", /invalid URL escape "%41"/],
    ["https://us er@base:6443", /net\/url: invalid userinfo/],
    ["https://base:6443/#%zz", /invalid URL escape "%zz"/],
    // brackets hold an IPv6 address only, at the start of the host (Go 1.25.8 and 1.26.1 on)
    ["https://[example.com]:6443", /invalid host: ParseAddr\("example\.com"\)/],
    ["https://[]:6443", /invalid host: ParseAddr\(""\): unable to parse IP/],
    ["https://[10.0.0.1]:6443", /invalid IP-literal/],
    ["https://a[b]:6443", /invalid IP-literal/],
    ["https://a[::1]:6443", /invalid IP-literal/],
    ["https://[fe80::1%25]:6443", /invalid host: ParseAddr\("fe80::1%"\): zone must be a non-empty string/],
    // a zone %-escapes only what a host may hold as it is, and the space
    ["https://[fe80::1%25%0A]:6443", /invalid URL escape "%0A"/],
  ];
  runCases(refused.map(([url, error]) => ({ name: `refuses ${url}`, config: endpoint("https://a:6443"), patches: [endpoint(url)], error })));
  // an http or https host holds one colon outside brackets in Go 1.26 (Talos 1.13 on, and the newest facts); Go 1.25 (1.12) reads the last one as the port's
  runCases([
    ...([undefined, "1.13", "1.14"] as const).flatMap((contract) => [
      { name: `refuses a second colon in an https host (${contract ?? "newest"})`, config: endpoint("https://a:6443"), patches: [endpoint("https://a:b:6443")], error: /invalid port ":b:6443" after host/, contract },
      { name: `refuses an IPv6 https host without brackets (${contract ?? "newest"})`, config: endpoint("https://a:6443"), patches: [endpoint("HTTPS://fd00::1:6443")], error: /invalid port "::1:6443" after host/, contract },
      { name: `keeps a second colon in a tcp host (${contract ?? "newest"})`, config: endpoint("https://a:6443"), patches: [endpoint("tcp://a:b:6443")], expected: endpoint("tcp://a:b:6443"), contract },
    ]),
    { name: "keeps a second colon in an https host (1.12)", config: endpoint("https://a:6443"), patches: [endpoint("https://a:b:6443")], expected: endpoint("https://a:b:6443"), contract: "1.12" },
    { name: "keeps an IPv6 https host without brackets (1.12)", config: endpoint("https://a:6443"), patches: [endpoint("https://fd00::1:6443")], expected: endpoint("https://fd00::1:6443"), contract: "1.12" },
  ]);
  const written: Array<[string, string]> = [
    ["https://base:6443/foo bar", "https://base:6443/foo%20bar"],
    ["https://base:6443/é", "https://base:6443/%C3%A9"],
    ["https://base:6443/%41/a%2Fb", "https://base:6443/%41/a%2Fb"],
    ["https://us%41er:p%40ss@base:6443", "https://usAer:p%40ss@base:6443"],
    ["https://a:b:c@base:6443", "https://a:b%3Ac@base:6443"],
    ["https://[fe80::1%25eth0]:6443", "https://[fe80::1%25eth0]:6443"],
    ["https://[fe80::1%25%41%20b]:6443", "https://[fe80::1%25A%20b]:6443"],
    ["https://[::FFFF:10.0.0.1]:6443", "https://[::FFFF:10.0.0.1]:6443"],
    ["https://a]b:6443", "https://a]b:6443"],
    ["https://base:6443/p?q=a b#frag ment", "https://base:6443/p?q=a b#frag%20ment"],
    ["https://base:", "https://base:"],
  ];
  runCases(written.map(([url, want]) => ({ name: `writes ${url} as ${want}`, config: endpoint("https://a:6443"), patches: [endpoint(url)], expected: endpoint(want) })));
});

describe("$patch: delete", () => {
  runCases([
    {
      name: "as a mapping value: removes the key",
      config: `${V1}machine: {nodeLabels: {a: x, b: y}}`,
      patches: ["machine: {nodeLabels: {a: {$patch: delete}}}"],
      expected: `${V1}machine: {nodeLabels: {b: y}}`,
    },
    {
      name: "as a mapping value: clears a field",
      config: `${V1}machine: {network: {hostname: a, nameservers: [1.1.1.1]}}`,
      patches: ["machine: {network: {hostname: {$patch: delete}}}"],
      expected: `${V1}machine: {network: {nameservers: [1.1.1.1]}}`,
    },
    {
      name: "on a document root: removes the document",
      config: `${link("eth0")}\n---\n${link("eth1")}`,
      patches: [`${link("eth1")}$patch: delete`],
      expected: link("eth0"),
    },
    {
      name: "on a document the config does not have: nothing happens",
      config: link("eth0"),
      patches: [`${link("eth9")}$patch: delete`],
      expected: link("eth0"),
    },
    {
      name: "in a list element: removes the first element with that field value",
      config: `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 1}, {interface: eth1}, {interface: eth0, mtu: 2}]}}`,
      patches: ["machine: {network: {interfaces: [{interface: eth0, $patch: delete}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{interface: eth1}, {interface: eth0, mtu: 2}]}}`,
    },
    {
      name: "in a list element: a field with a String method matches by its text",
      config: link("eth0", "addresses: [{address: 10.0.0.1/24}, {address: 10.0.0.2/24}]\nroutes: [{gateway: 10.0.0.254}]"),
      patches: [link("eth0", "addresses: [{address: 10.0.0.1/24, $patch: delete}]\nroutes: [{gateway: 10.0.0.254, $patch: delete}]")],
      expected: link("eth0", "addresses: [{address: 10.0.0.2/24}]"),
    },
    {
      name: "in a list element: an unset field matches by what Go's String() says of its zero value",
      config: link("eth0", "routes: [{gateway: 10.0.0.254}, {destination: 10.1.0.0/16, gateway: 10.0.0.1}]"),
      patches: [link("eth0", "routes: [{destination: invalid Prefix, $patch: delete}, {table: unspec, $patch: delete}]")],
      expected: link("eth0"),
    },
    {
      name: "in a list element: an empty value does not match an unset netip field",
      config: link("eth0", "routes: [{gateway: 10.0.0.254}]"),
      patches: [link("eth0", "routes: [{destination: '', $patch: delete}]")],
      error: /nothing to delete at routes\.\[0\]/,
    },
    {
      name: "in a list element: a number field never matches (Go compares text)",
      config: `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 1500}]}}`,
      patches: ["machine: {network: {interfaces: [{mtu: 1500, $patch: delete}]}}"],
      error: /nothing to delete at machine\.network\.interfaces\.\[0\]/,
    },
    {
      name: "deletes run before the merge of their own document",
      config: `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 1500, addresses: [a]}, {interface: eth1}]}}`,
      patches: ["machine: {network: {interfaces: [{interface: eth0, $patch: delete}, {interface: eth0, mtu: 9000}]}}"],
      expected: `${V1}machine: {network: {interfaces: [{interface: eth1}, {interface: eth0, mtu: 9000}]}}`,
    },
    {
      name: "deleting a missing path is an error naming the path",
      config: `${V1}machine: {}`,
      patches: ["machine: {network: {hostname: {$patch: delete}}}"],
      error: /machine\.network\.hostname/,
    },
    {
      name: "deleting a missing map key is an error",
      config: `${V1}machine: {nodeLabels: {a: x}}`,
      patches: ["machine: {nodeLabels: {b: {$patch: delete}}}"],
      error: /nothing to delete at machine\.nodeLabels\.b/,
    },
    {
      name: "the v1alpha1 document cannot be deleted",
      config: `${V1}machine: {}`,
      patches: ["apiVersion: ''\nkind: ''\n$patch: delete"],
      error: /cannot be deleted/,
    },
    {
      name: "an inner key of a list element cannot be deleted",
      config: `${V1}machine: {network: {interfaces: [{interface: eth0, vip: {ip: 1.2.3.4}}]}}`,
      patches: ["machine: {network: {interfaces: [{interface: eth0, vip: {$patch: delete}}]}}"],
      error: /cannot delete an inner key in 'machine\.network\.interfaces\.\[0\]\.vip'/,
    },
    {
      name: "a list element delete needs a field to pick by",
      config: `${V1}machine: {}`,
      patches: ["machine: {network: {interfaces: [{$patch: delete}]}}"],
      error: /needs a field/,
    },
  ]);
});

// ---------------------------------------------------------------------------
// the general rules on a small synthetic type system

describe("general merge rules (synthetic types)", () => {
  const sys = new TypeSystem(
    "test",
    { Doc: "t.Doc" },
    {
      "t.Doc": {
        fields: [
          ["flag", "scalar", { go: "bool" }],
          ["pflag", "scalar", { go: "*bool", omitempty: true }],
          ["text", "scalar", { go: "string", omitempty: true }],
          ["ptext", "scalar", { go: "*string", omitempty: true }],
          ["count", "scalar", { go: "int", omitempty: true }],
          ["inner", "t.Inner", { go: "t.Inner", omitempty: true }],
          ["pinner", "t.Inner", { go: "*t.Inner", omitempty: true }],
          ["rinner", "t.Inner", { go: "t.Inner", omitempty: true, replace: true }],
          ["list", "[]scalar", { go: "[]string", omitempty: true }],
          ["rlist", "[]scalar", { go: "[]string", replace: true }],
          ["bytes", "scalar", { go: "[]uint8", omitempty: true }],
          ["labels", "map[]scalar", { go: "map[string]string", omitempty: true }],
          ["raw", "any", { go: "map[string]any", omitempty: true }],
        ],
      },
      "t.Inner": { fields: [["on", "scalar", { go: "bool" }], ["name", "scalar", { go: "string", omitempty: true }]] },
    },
    {},
  );
  const T = sys.type("t.Doc");
  const merge = (l: object, r: object): unknown => mergeValue(deepFreeze(l), deepFreeze(r), T, false, false, "", { sys, doc: "Doc" });
  const rules: Array<[string, object, object, object]> = [
    ["a plain boolean the patch leaves out becomes false", { flag: true }, {}, { flag: false, inner: { on: false } }],
    ["a plain boolean in a struct held by value is reset too", { inner: { on: true, name: "x" } }, {}, { flag: false, inner: { on: false, name: "x" } }],
    ["a pointer struct the patch leaves out keeps its booleans", { pinner: { on: true } }, {}, { flag: false, inner: { on: false }, pinner: { on: true } }],
    ["a pointer struct the patch names merges, resetting its booleans", { pinner: { on: true, name: "a" } }, { pinner: { name: "b" } }, { flag: false, inner: { on: false }, pinner: { on: false, name: "b" } }],
    ["a nil pointer takes the patch's value whole", {}, { pinner: { on: true } }, { flag: false, inner: { on: false }, pinner: { on: true } }],
    ["a pointer boolean the patch leaves out is kept", { pflag: true }, {}, { flag: false, pflag: true, inner: { on: false } }],
    ["a pointer boolean set to false overrides", { pflag: true }, { pflag: false }, { flag: false, pflag: false, inner: { on: false } }],
    ["an empty string does not override", { text: "a" }, { text: "" }, { flag: false, text: "a", inner: { on: false } }],
    ["behind a pointer an empty string overrides", { ptext: "a" }, { ptext: "" }, { flag: false, ptext: "", inner: { on: false } }],
    ["zero does not override", { count: 3 }, { count: 0 }, { flag: false, count: 3, inner: { on: false } }],
    ["lists append", { list: ["a"] }, { list: ["b"] }, { flag: false, list: ["a", "b"], inner: { on: false } }],
    ["replace lists are replaced, even by an empty list", { rlist: ["a"] }, { rlist: [] }, { flag: false, rlist: [], inner: { on: false } }],
    ["byte slices are replaced", { bytes: [1] }, { bytes: [2] }, { flag: false, bytes: [2], inner: { on: false } }],
    ["a replace struct is replaced unless the patch's is zero", { rinner: { on: true, name: "a" } }, { rinner: { name: "b" } }, { flag: false, inner: { on: false }, rinner: { name: "b" } }],
    ["a zero replace struct keeps the existing one", { rinner: { on: true } }, { rinner: {} }, { flag: false, inner: { on: false }, rinner: { on: true } }],
    ["map values cannot be blanked, new keys are set as given", { labels: { a: "x" } }, { labels: { a: "", b: "" } }, { flag: false, labels: { a: "x", b: "" }, inner: { on: false } }],
    ["untyped maps merge deeply", { raw: { a: { b: 1 }, l: [1] } }, { raw: { a: { c: 2 }, l: [2] } }, { flag: false, raw: { a: { b: 1, c: 2 }, l: [1, 2] }, inner: { on: false } }],
  ];
  for (const [name, left, right, want] of rules) test(name, () => assert.deepEqual(merge(left, right), want));
});

// ---------------------------------------------------------------------------
// JSON6902

describe("JSON6902", () => {
  const single = `${V1}machine: {type: worker, network: {hostname: a}}`;
  test("a YAML list of operations", () => {
    assert.equal(patched(single, ["- op: replace\n  path: /machine/network/hostname\n  value: b"]), talos(`${V1}machine: {type: worker, network: {hostname: b}}`));
  });
  test("JSON operations", () => {
    assert.equal(patched(single, ['[{"op": "add", "path": "/machine/certSANs", "value": ["x"]}]']), talos(`${V1}machine: {type: worker, certSANs: [x], network: {hostname: a}}`));
  });
  test("operations in a patch object aimed at one document", () => {
    const out = applyPatches(docs(`${link("eth0", "mtu: 1500")}\n---\n${link("eth1", "mtu: 1500")}`), [
      { document: "LinkConfig", name: "eth1", ops: [{ op: "replace", path: "/mtu", value: 9000 }] },
    ]);
    assert.equal(encodeConfig(out), talos(`${link("eth0", "mtu: 1500")}\n---\n${link("eth1", "mtu: 9000")}`));
  });
  test("refused on a multi-document config, with Talos's reason", () => {
    assertTalcError(() => patched(`${V1}machine: {}\n---\n${link("eth0")}`, ['[{"op": "remove", "path": "/machine"}]']), { message: new RegExp(MULTI_DOCUMENT_REASON) });
  });
  test("an aimed patch naming a missing document is refused", () => {
    assertTalcError(() => applyPatches(docs(link("eth0")), [{ document: "LinkConfig", name: "eth9", ops: [] }]), { message: /no document LinkConfig\/eth9/ });
  });
  test("an aimed patch matching several documents must name one", () => {
    assertTalcError(() => applyPatches(docs(`${link("eth0")}\n---\n${link("eth1")}`), [{ document: "LinkConfig", ops: [] }]), { message: /name the one/ });
  });
  for (const bad of ["/__proto__/x", "/machine/constructor", "/a/prototype/b"]) {
    test(`a path through ${bad} is refused`, () => {
      assertTalcError(() => patched(single, [JSON.stringify([{ op: "add", path: bad, value: 1 }])]), { message: /never a Talos field/ });
    });
  }
  test("a failing operation names the operation", () => {
    assertTalcError(() => patched(single, ['[{"op": "replace", "path": "/machine/nothing/here", "value": 1}]']), { message: /operation 1/, path: /nothing/ });
  });
  test("a later failing operation names its own number", () => {
    assertTalcError(() => patched(single, ['[{"op": "remove", "path": "/machine/type"}, {"op": "remove", "path": "/machine/nothing"}]']), {
      message: /operation 2, remove \/machine\/nothing/,
      file: "patch1.yaml",
    });
  });
  test("it applies to the config as written until a strategic patch types it", () => {
    const ops = '[{"op": "add", "path": "/machine/certSANs/-", "value": "x"}]';
    // the written config has no certSANs list yet; the typed one always writes `certSANs: []`
    assert.throws(() => patched(single, [ops]), TalcError);
    assert.equal(patched(single, ["machine: {}", ops]), talos(`${V1}machine: {type: worker, certSANs: [x], network: {hostname: a}}`));
  });
});

// Talos applies JSON patches with evanphx/json-patch, which reads a negative index as counting from
// the end (-1 the last element; where an operation inserts, -1 appends).
// evanphx/json-patch v5.9.11 (the root package Talos pins) reads a key missing from an existing
// mapping as a null value, where RFC 6902 has an error; and it reads `"value": null` written as
// JSON as no value at all. Checked against that library.
describe("JSON6902 where Talos's library departs from RFC 6902", () => {
  const single = `${V1}machine: {type: worker, network: {hostname: a}}`;
  test("replace of a key missing from a mapping sets it", () => {
    assert.equal(patched(single, ['[{"op": "replace", "path": "/machine/network/nameservers", "value": ["1.1.1.1"]}]']), patched(single, ["machine: {network: {nameservers: [1.1.1.1]}}"]));
  });
  test("replace under a missing mapping, or past the end of a list, still fails", () => {
    assertTalcError(() => patched(single, ['[{"op": "replace", "path": "/machine/nothing/here", "value": 1}]']), { message: /operation 1/ });
    assertTalcError(() => patched(single, ['[{"op": "add", "path": "/machine/certSANs", "value": ["a"]}, {"op": "replace", "path": "/machine/certSANs/1", "value": "b"}]']), { message: /operation 2/ });
  });
  test("copy from a key missing from a mapping writes null", () => {
    // null is what the JSON patch leaves; decoded, a null list is unset
    assert.equal(patched(single, ['[{"op": "copy", "from": "/machine/network/nothing", "path": "/machine/network/nameservers"}]']), talos(single));
    assert.equal(patchConfigText("a: {b: 1}\n", [parsePatch('[{"op": "copy", "from": "/a/nothing", "path": "/a/c"}]', "p.json")]), "a:\n  b: 1\n  c: null\n");
    assertTalcError(() => patched(single, ['[{"op": "move", "from": "/machine/network/nothing", "path": "/machine/network/nameservers"}]']), { message: /operation 1/ });
  });
  test("a test of null written as JSON finds a missing key or a null; written as YAML, nothing", () => {
    const withNull = `${V1}machine: {type: worker, network: {hostname: a}, nodeLabels: {zone: null}}`;
    const asJson = (path: string): string => JSON.stringify([{ op: "test", path, value: null }]);
    const asYaml = (path: string): string => `- op: test\n  path: ${path}\n  value: null\n`;
    assert.equal(patched(single, [asJson("/machine/nodeLabels")]), talos(single));
    assert.equal(patched(withNull, [asJson("/machine/nodeLabels/zone")]), talos(withNull));
    assertTalcError(() => patched(single, [asJson("/machine/network/hostname")]), { message: /test operation failed/ });
    assertTalcError(() => patched(single, [asJson("/machine/nothing/zone")]), { message: /test operation failed/ });
    assertTalcError(() => patched(single, [asYaml("/machine/nodeLabels")]), { message: /test operation failed/ });
    assertTalcError(() => patched(withNull, [asYaml("/machine/nodeLabels/zone")]), { message: /test operation failed/ });
  });
});

describe("JSON6902 negative indices, as Talos reads them", () => {
  const sans = (list: string): string => `${V1}machine: {type: worker, certSANs: [${list}], network: {interfaces: [{interface: eth0, mtu: 1500}]}}`;
  const config = sans("a, b, c");
  const cases: Array<[string, object[], string]> = [
    ["remove -1 removes the last", [{ op: "remove", path: "/machine/certSANs/-1" }], "a, b"],
    ["remove -3 removes the first", [{ op: "remove", path: "/machine/certSANs/-3" }], "b, c"],
    ["-0 is 0", [{ op: "remove", path: "/machine/certSANs/-0" }], "b, c"],
    ["replace -1", [{ op: "replace", path: "/machine/certSANs/-1", value: "z" }], "a, b, z"],
    ["test -1 reads the last", [{ op: "test", path: "/machine/certSANs/-1", value: "c" }], "a, b, c"],
    ["add -1 appends", [{ op: "add", path: "/machine/certSANs/-1", value: "z" }], "a, b, c, z"],
    ["add -2 inserts before the last", [{ op: "add", path: "/machine/certSANs/-2", value: "z" }], "a, b, z, c"],
    ["add -4 inserts first", [{ op: "add", path: "/machine/certSANs/-4", value: "z" }], "z, a, b, c"],
    ["move counts the destination without the value moved", [{ op: "move", from: "/machine/certSANs/0", path: "/machine/certSANs/-1" }], "b, c, a"],
    ["move from -1", [{ op: "move", from: "/machine/certSANs/-1", path: "/machine/certSANs/0" }], "c, a, b"],
    ["copy from -1 to -1", [{ op: "copy", from: "/machine/certSANs/-1", path: "/machine/certSANs/-1" }], "a, b, c, c"],
    ["each operation counts on the list as the one before left it", [{ op: "remove", path: "/machine/certSANs/-1" }, { op: "remove", path: "/machine/certSANs/-1" }], "a"],
  ];
  for (const [name, ops, want] of cases) {
    test(name, () => {
      assert.equal(patched(config, [JSON.stringify(ops)]), talos(sans(want)));
    });
  }
  test("inside a path", () => {
    const out = patched(config, ['[{"op": "replace", "path": "/machine/network/interfaces/-1/mtu", "value": 9000}]']);
    assert.equal(out, talos(`${V1}machine: {type: worker, certSANs: [a, b, c], network: {interfaces: [{interface: eth0, mtu: 9000}]}}`));
  });
  test("a key -1 in a mapping is a key", () => {
    const ops = '[{"op": "add", "path": "/machine/nodeLabels", "value": {}}, {"op": "add", "path": "/machine/nodeLabels/-1", "value": "x"}]';
    assert.equal(patched(config, [ops]), talos(`${V1}machine: {type: worker, certSANs: [a, b, c], nodeLabels: {"-1": x}, network: {interfaces: [{interface: eth0, mtu: 1500}]}}`));
  });
  const bad: Array<[string, object, RegExp]> = [
    ["remove", { op: "remove", path: "/machine/certSANs/-4" }, /index -4 is out of range: \/machine\/certSANs has 3 items; a negative index there is -1 to -3/],
    ["replace", { op: "replace", path: "/machine/certSANs/-4", value: "z" }, /-1 to -3/],
    ["test", { op: "test", path: "/machine/certSANs/-4", value: "z" }, /-1 to -3/],
    ["add", { op: "add", path: "/machine/certSANs/-5", value: "z" }, /index -5 is out of range.*-1 to -4 \(-1 appends\)/],
    ["move from", { op: "move", from: "/machine/certSANs/-4", path: "/machine/certSANs/0" }, /index -4 is out of range/],
    ["copy to", { op: "copy", from: "/machine/certSANs/0", path: "/machine/certSANs/-5" }, /index -5 is out of range/],
    ["inside a path", { op: "replace", path: "/machine/network/interfaces/-2/mtu", value: 1 }, /index -2 is out of range: \/machine\/network\/interfaces has 1 item;/],
  ];
  for (const [name, op, message] of bad) {
    test(`out of range: ${name} names the patch, the operation and the path`, () => {
      const path = name === "move from" ? (op as { from: string }).from : (op as { path: string }).path;
      assertTalcError(() => patched(config, [JSON.stringify([op])]), { file: "patch1.yaml", message, path: new RegExp(`^${path.replaceAll("/", "\\/")}$`) });
      assertTalcError(() => patched(config, [JSON.stringify([op])]), { message: /\(operation 1, / });
    });
  }
  test("out of range: an empty list has no index", () => {
    assertTalcError(() => patched(sans(""), ['[{"op": "remove", "path": "/machine/certSANs/-1"}]']), { message: /has 0 items; it is empty/ });
  });
});

// ---------------------------------------------------------------------------
// decoding into Go types

describe("typed decoding (normalizeDocument)", () => {
  const norm = (yaml: string): unknown => normalizeDocument(docs(yaml)[0]);
  test("a YAML number for a string field keeps its text", () => {
    assert.deepEqual((norm(`${V1}machine: {network: {hostname: 1.10}}`) as { machine: { network: unknown } }).machine.network, { hostname: "1.10" });
  });
  test("a plain JS number for a string field becomes its text", () => {
    assert.deepEqual((normalizeDocument({ version: "v1alpha1", machine: { network: { hostname: 42 } } }) as { machine: { network: unknown } }).machine.network, { hostname: "42" });
  });
  test("integers follow Go: 0x1F is 31, 0777 is octal, 1_000 is a thousand", () => {
    for (const [text, want] of [["0x1F", 31], ["0777", 511], ["1_000", 1000]] as const) {
      const cp = (norm(`${V1}cluster: {controlPlane: {endpoint: "https://a", localAPIServerPort: ${text}}}`) as { cluster: { controlPlane: { localAPIServerPort: number } } }).cluster.controlPlane;
      assert.equal(cp.localAPIServerPort, want);
    }
  });
  test("floats follow go-yaml: too large for a float64 stays text, underscores after a dot still make a float", () => {
    const [doc] = parseGoYaml("a: 1e400\nb: -1e400\nc: .5e999\nd: .9_9\ne: 1_0.5\n", "x.yaml") as Array<Record<string, unknown>>;
    assert.deepEqual([doc.a, doc.b, doc.c], ["1e400", "-1e400", ".5e999"]);
    assert.deepEqual([doc.d, doc.e].map((v) => (v as { value: unknown }).value), [0.99, 10.5]);
  });
  test("!!binary is base64 as Go's decoder reads it: line breaks skipped, spaces and tabs refused", () => {
    assert.deepEqual(parseGoYaml("a: !!binary |\n  aGVs\n  bG8=\n", "x.yaml"), [{ a: "hello" }]);
    // a plain scalar folded over two lines holds a space
    assert.throws(() => parseGoYaml("a: !!binary aGVs\n  bG8=\n", "x.yaml"), /a !!binary value that is not base64 of UTF-8 text/);
    assert.throws(() => parseGoYaml('a: !!binary "aGVs\\tbG8="\n', "x.yaml"), /a !!binary value that is not base64 of UTF-8 text/);
  });
  test("yes is true for a boolean field", () => {
    assert.equal((norm(`${V1}machine: {install: {wipe: yes}}`) as { machine: { install: { wipe: boolean } } }).machine.install.wipe, true);
  });
  test("null is the zero value", () => {
    assert.deepEqual((norm(`${V1}machine: {network: {hostname: null}}`) as { machine: { network: unknown } }).machine.network, {});
  });
  test("zero fields without omitempty are written, omitempty ones are not", () => {
    assert.deepEqual(norm(`${V1}machine: {network: {}}`), { version: "v1alpha1", machine: { type: "", token: "", certSANs: [], network: {} }, cluster: null });
  });
  test("microseconds are read with the Greek letter too, and written with the micro sign as Go writes them", () => {
    assert.equal((norm(`${V1}machine: {time: {bootTimeout: 1.5μs}}`) as { machine: { time: { bootTimeout: string } } }).machine.time.bootTimeout, "1.5µs");
    const docs = [{ version: "v1alpha1", machine: { type: "worker", time: { bootTimeout: "1.5μs" } } }] as unknown as ConfigDocument[];
    assert.deepEqual(validateDocuments(docs, { contract: "1.13", mode: "container" }).filter((p) => p.path.includes("bootTimeout")), []);
  });
  test("durations are written as Go writes them", () => {
    assert.equal((norm(`${V1}machine: {time: {bootTimeout: 90s}}`) as { machine: { time: { bootTimeout: string } } }).machine.time.bootTimeout, "1m30s");
  });
  test("a partition size is read as go-humanize's ParseBytes reads it", () => {
    const size = (text: string): unknown =>
      (norm(`${V1}machine: {disks: [{device: /dev/sdb, partitions: [{mountpoint: /var/a, size: ${JSON.stringify(text)}}]}]}`) as { machine: { disks: Array<{ partitions: Array<{ size: unknown }> }> } }).machine.disks[0].partitions[0].size;
    // digits may start with a point or a comma
    assert.equal(size(".5GB"), "500 MB");
    assert.equal(size(",5 kB"), "5.0 kB");
    // nothing before the digits; no size a uint64 cannot hold (2^64 itself, as a float64, is too large)
    for (const text of [" 10GB", "18446744073709551615", "99999999999999999999EB", "1" + "0".repeat(400)]) {
      assertTalcError(() => size(text), { message: /is not a size/ });
    }
    assert.equal(size("18446744073709549568"), 18446744073709549568);
  });
  test("inline manifests lose leading blank lines", () => {
    const out = norm(`${V1}cluster: {inlineManifests: [{name: a, contents: "\\n\\nkind: X\\n"}]}`) as { cluster: { inlineManifests: Array<{ contents: string }> } };
    assert.equal(out.cluster.inlineManifests[0].contents, "kind: X\n");
  });
  test("an unknown field is refused, naming it and the valid ones", () => {
    assertTalcError(() => norm(`${V1}machine: {netwrok: {}}`), { message: /unknown field "netwrok".*network/, path: /machine\.netwrok/ });
  });
  test("a mapping for a string field is refused", () => {
    assertTalcError(() => norm(`${V1}machine: {network: {hostname: {a: b}}}`), { message: /expected a string value/ });
  });
  test("every struct, named type and field type of every release resolves", () => {
    for (const c of [undefined, "1.12", "1.13", "1.14"] as const) {
      const s = typeSystem(c);
      for (const name of s.structNames()) {
        const t = s.type(name);
        if (t.k === "struct") for (const f of t.fields) s.type(f.go);
      }
      for (const name of Object.keys(s.namedTypes())) s.type(name);
      for (const kind of s.kinds()) s.type(s.rootOf(kind)!);
    }
  });
  test("every type with a Merge method or a struct codec has a merge rule", () => {
    const missing: string[] = [];
    for (const c of [undefined, "1.12", "1.13", "1.14"] as const) {
      const s = typeSystem(c);
      for (const [name, facts] of Object.entries(s.namedTypes())) {
        const t: GoType = s.type(name);
        const needs = facts.methods?.Merge !== undefined || (t.k === "custom" && facts.underlying === "struct");
        if (needs && !Object.hasOwn(MERGE_RULES, name)) missing.push(`${c ?? "main"}: ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });
  test("every codec named in the table is a known named type", () => {
    const known = new Set(["1.12", "1.13", "1.14", undefined].flatMap((c) => Object.keys(typeSystem(c as Contract | undefined).namedTypes())));
    assert.deepEqual(Object.keys(codecTable()).filter((n) => !known.has(n)), []);
  });
});

// ---------------------------------------------------------------------------
// loading

describe("loading patches", () => {
  const cases: Array<[string, string, "strategic" | "json6902", number]> = [
    ["a mapping is a strategic patch", "machine: {network: {hostname: a}}", "strategic", 1],
    ["several documents are one strategic patch", `${link("a")}---\n${link("b")}`, "strategic", 2],
    ["a JSON list is JSON6902", '[{"op": "remove", "path": "/a"}]', "json6902", 1],
    ["a YAML list of mappings is JSON6902", "- op: remove\n  path: /a\n- op: remove\n  path: /b", "json6902", 2],
    ["an empty text is an empty JSON6902 patch, as in Talos", "", "json6902", 0],
  ];
  for (const [name, text, kind, n] of cases) {
    test(name, () => {
      const p = parsePatch(text, "p.yaml");
      assert.equal(p.kind, kind);
      assert.equal(p instanceof StrategicPatch ? p.documents.length : (p as JsonPatch).ops.length, n);
    });
  }
  test("YAML numbers keep their text in a loaded patch", () => {
    const p = parsePatch("machine: {network: {hostname: 1.10}}", "p.yaml") as StrategicPatch;
    const hostname = (p.documents[0] as { machine: { network: { hostname: unknown } } }).machine.network.hostname;
    assert.ok(hostname instanceof YamlScalar && hostname.text === "1.10");
  });
  test("@file, a bare file name and inline text", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.yaml"), "machine: {network: {hostname: a}}\n");
    for (const spec of ["@p.yaml", "p.yaml", "machine: {network: {hostname: a}}"]) {
      const p = await loadPatch(spec, { cwd: dir });
      assert.ok(p instanceof StrategicPatch, spec);
    }
    await assert.rejects(loadPatch("@missing.yaml", { cwd: dir }), (e: unknown) => e instanceof TalcError && e.file === "missing.yaml");
  });
});

// ---------------------------------------------------------------------------
// bad patches name the patch file, the document and the path

describe("bad patches", () => {
  const config = docs(`${V1}machine: {type: worker}\n---\n${link("eth0")}`);
  const cases: Array<[string, string, { message: RegExp; path?: RegExp; line?: number }]> = [
    ["not YAML", "machine: [\n", { message: /not valid YAML/ }],
    ["a scalar where a mapping is expected", "machine: {network: 5}", { message: /expected a mapping.*\(in v1alpha1\)/, path: /^machine\.network$/ }],
    ["an unknown document kind", "apiVersion: v1alpha1\nkind: LinkConfg\nname: x", { message: /unknown document kind "LinkConfg".*LinkConfig/ }],
    ["a document without kind", "apiVersion: v1\nname: x", { message: /missing kind/ }],
    ["a delete selector inside a list element's inner key", "machine: {network: {interfaces: [{interface: eth0, vip: {$patch: delete}}]}}", { message: /inner key.*\(in v1alpha1\)/, path: /interfaces\.\[0\]\.vip/ }],
    ["an unknown field in a named document", `${link("eth0")}mtus: 1`, { message: /unknown field "mtus".*\(in LinkConfig\/eth0\)/, path: /^mtus$/ }],
    ["a __proto__ key", "machine: {__proto__: {}}", { message: /not allowed/ }],
  ];
  for (const [name, text, want] of cases) {
    test(name, () => {
      assertTalcError(() => applyPatches(config, [parsePatch(text, "bad.yaml")]), { file: "bad.yaml", ...want });
    });
  }
  test("an unknown kind is hinted from the kinds of the patch's own Talos release", () => {
    const apply = (kind: string) => () => applyPatches(config, [parsePatch(`apiVersion: v1alpha1\nkind: ${kind}\n`, "bad.yaml", { contract: "1.13" })], { contract: "1.13" });
    // KubeletConfig arrived in Talos 1.14
    assertTalcError(apply("KubeletConfig"), { file: "bad.yaml", message: /^document kind "KubeletConfig" does not exist in talos 1\.13; it exists in talos 1\.14$/ });
    assertTalcError(apply("Zzzzzz"), { file: "bad.yaml", message: /^unknown document kind "Zzzzzz"; talos 1\.13 knows (?!.*KubeletConfig).*\bLinkConfig\b/ });
  });

  test("a failing delete names the patch file, the document and the path", () => {
    assertTalcError(() => applyPatches(config, [parsePatch(`${link("eth0")}mtu: {$patch: delete}\naddresses: {$patch: delete}\nroutes: [{gateway: 1.1.1.1, $patch: delete}]`, "bad.yaml")]), {
      file: "bad.yaml",
      message: /in document LinkConfig\/eth0/,
      path: /^routes\.\[0\]$/,
    });
  });
});

// What Talos's loader refuses in a patch it reads, beyond the documents themselves.
describe("patches Talos's loader refuses", () => {
  const twice = `${mirror("endpoints: [{url: https://a.example}]")}\n---\n${mirror("skipFallback: true")}`;
  const cases: Array<[string, string, Contract | undefined, { message: RegExp; path: RegExp } | undefined]> = [
    ["a document twice, before 1.14", twice, "1.13", { message: /duplicate document RegistryMirrorConfig\/docker\.io, given first as document 1;.*merge them/, path: /^document 2$/ }],
    ["a document twice, 1.12", twice, "1.12", { message: /duplicate document RegistryMirrorConfig\/docker\.io/, path: /^document 2$/ }],
    ["the v1alpha1 document twice, before 1.14", `${V1}machine: {certSANs: [a]}\n---\nmachine: {certSANs: [b]}`, "1.13", { message: /duplicate document v1alpha1, given first as document 1/, path: /^document 2$/ }],
    ["a document twice, from 1.14", twice, "1.14", undefined],
    ["a document twice, with no contract (the newest Talos)", twice, undefined, undefined],
    ["two names of one kind", `${mirror("skipFallback: true")}\n---\n${mirror("skipFallback: true").replace("docker.io", "ghcr.io")}`, "1.13", undefined],
    ["a whole-document delete is not counted", `${mirror("$patch: delete")}\n---\n${mirror("skipFallback: true")}`, "1.13", undefined],
    ["a field delete leaves its document, which is counted", `${mirror("endpoints: {$patch: delete}")}\n---\n${mirror("skipFallback: true")}`, "1.13", { message: /duplicate document/, path: /^document 2$/ }],
    ["only version", "version: v1alpha1", undefined, { message: /nothing to apply: its one document holds nothing but version, kind or name.*"config not found"/, path: /^document 1$/ }],
    ["only version, 1.12", "version: v1alpha1", "1.12", { message: /nothing to apply/, path: /^document 1$/ }],
    ["an empty mapping", "{}", undefined, { message: /nothing to apply/, path: /^document 1$/ }],
    ["only identities", "version: v1alpha1\n---\nkind: LinkConfig\nname: eth0", undefined, { message: /each of its documents holds nothing but/, path: /^documents 1, 2$/ }],
    ["an identity-only document beside a real one is no error", `${V1}---\n${mirror("skipFallback: true")}`, "1.13", undefined],
  ];
  for (const [name, text, contract, want] of cases) {
    test(name, () => {
      if (want === undefined) {
        assert.ok(parsePatch(text, "p.yaml", { contract }) instanceof StrategicPatch);
        return;
      }
      assertTalcError(() => parsePatch(text, "p.yaml", { contract }), { file: "p.yaml", ...want });
    });
  }
  test("a document twice, from 1.14, merges in order", () => {
    const out = patched(`${V1}machine: {type: worker}`, [twice]);
    assert.equal(out, talos(`${V1}machine: {type: worker}\n---\n${mirror("endpoints: [{url: https://a.example}]\nskipFallback: true")}`));
  });
});

// Null YAML documents (a lone `---`, `--- ~`, only comments) as talosctl's LoadPatch reads them, per
// release: its config loader skips them, and when the text is no strategic patch, it reads JSON6902
// operations from the first YAML document only, a null one giving no operations.
describe("null documents in a patch, as talosctl reads them", () => {
  const op = (path: string): string => `- op: add\n  path: ${path}\n  value: [a]\n`;
  type Want = { kind: "strategic" | "json6902"; n: number; unread?: RegExp } | { error: RegExp; path?: RegExp; line?: number };
  const cases: Array<[string, string, Contract | undefined, Want]> = [
    ["only a separator", "---\n", undefined, { kind: "json6902", n: 0 }],
    ["only separators", "---\n---\n---\n", "1.12", { kind: "json6902", n: 0 }],
    ["an explicit null", "--- ~\n", "1.13", { kind: "json6902", n: 0 }],
    ["only comments", "# nothing yet\n", "1.14", { kind: "json6902", n: 0 }],
    ["a document of only comments", "---\n# nothing yet\n", "1.12", { kind: "json6902", n: 0 }],
    ["null documents beside strategic documents are skipped", `---\n---\n${V1}machine: {certSANs: [a]}\n--- ~\n---\n# end\n`, "1.13", { kind: "strategic", n: 1 }],
    [
      "a document is named by its place in the file, null documents counted",
      `${V1}machine: {certSANs: [a]}\n--- ~\n---\n${mirror("skipFallback: true")}\n---\n---\n${mirror("skipFallback: false")}`,
      "1.13",
      { error: /^duplicate document RegistryMirrorConfig\/docker\.io, given first as document 3;/, path: /^document 5$/ },
    ],
    [
      "a document that is not a mapping is named, with its line",
      `${V1}machine: {}\n--- ~\n---\n${op("/machine/certSANs")}`,
      undefined,
      { error: /^document 3 of the patch is a list, not a mapping; a strategic patch is/, path: /^document 3$/, line: 5 },
    ],
    ["operations after a null first document are not read", `---\n# certSANs\n---\n${op("/machine/certSANs")}`, "1.14", { kind: "json6902", n: 0, unread: /first YAML document only, which is empty, and ignores document 2; remove the empty document 1$/ }],
    [
      "a bad strategic document after a null first document: an empty JSON6902 patch",
      `---\n---\n${V1}machine: {certSAN: [a]}\n`,
      "1.12",
      { kind: "json6902", n: 0, unread: /^talosctl reads this patch as an empty JSON6902 patch \(it is no strategic patch: unknown field "certSAN"/ },
    ],
    ["operations in a second document are not read", `${op("/machine/certSANs")}---\n${op("/machine/certSANs/-")}`, undefined, { kind: "json6902", n: 1, unread: /ignores document 2; put every operation in one list$/ }],
    ["a null-tagged value is no null to the operations reader", "--- !!null x\n", undefined, { error: /^the patch has no documents: its one document is null$/ }],
    // go-yaml before v4.0.0-rc.6 refuses a document end marker with no document before it
    ["a bare document end, 1.12", "# nothing yet\n...\n", "1.12", { error: /^not valid YAML for talos 1\.12: a document end marker \(\.\.\.\) with no document before it/, line: 2 }],
    ["a bare document end, 1.13", `...\n${V1}machine: {certSANs: [a]}\n`, "1.13", { error: /^not valid YAML for talos 1\.13: a document end marker/, line: 1 }],
    ["a bare document end, 1.14", "# nothing yet\n...\n", "1.14", { kind: "json6902", n: 0 }],
    ["a bare document end before a document, 1.14", `...\n${V1}machine: {certSANs: [a]}\n`, "1.14", { kind: "strategic", n: 1 }],
    ["a document end after a document, 1.12", `${V1}machine: {certSANs: [a]}\n...\n...\n`, "1.12", { kind: "strategic", n: 1 }],
  ];
  for (const [name, text, contract, want] of cases) {
    test(name, () => {
      if ("error" in want) {
        assert.throws(
          () => parsePatch(text, "p.yaml", { contract }),
          (e: unknown) => {
            assert.ok(e instanceof TalcError, String(e));
            assert.match(e.message, want.error);
            assert.equal(e.file, "p.yaml");
            if (want.path) assert.match(e.path ?? "", want.path);
            if (want.line !== undefined) assert.equal(e.line, want.line);
            return true;
          },
        );
        return;
      }
      const p = parsePatch(text, "p.yaml", { contract });
      assert.equal(p.kind, want.kind);
      assert.equal(p instanceof StrategicPatch ? p.documents.length : (p as JsonPatch).ops.length, want.n);
      if (want.unread === undefined) assert.equal((p as JsonPatch).unread, undefined);
      else assert.match((p as JsonPatch).unread ?? "", want.unread);
    });
  }
  test("the empty patch talosctl reads fails on a config of several documents, saying why", () => {
    assertTalcError(() => patched(`${V1}machine: {type: worker}\n---\n${link("eth0")}`, [`---\n---\n${op("/machine/certSANs")}`]), {
      file: "patch1.yaml",
      message: new RegExp(`^${MULTI_DOCUMENT_REASON} \\(talosctl reads this patch as an empty JSON6902 patch: .*ignores document 2`),
    });
  });
  test("on a config of one document, the operations are not applied", () => {
    const config = `${V1}machine: {type: worker}`;
    assert.equal(patched(config, [`---\n---\n${op("/machine/certSANs")}`]), patched(config, [""]));
  });
});

// ---------------------------------------------------------------------------
// derivation

describe("derivePatch", () => {
  const cases: Array<[string, string, string]> = [
    ["a changed scalar", `${V1}machine: {network: {hostname: a}}`, `${V1}machine: {network: {hostname: b}}`],
    ["an emptied string", `${V1}machine: {network: {hostname: a}}`, `${V1}machine: {network: {}}`],
    ["a map key removed and one blanked", `${V1}machine: {nodeLabels: {a: x, b: y}}`, `${V1}machine: {nodeLabels: {b: ""}}`],
    ["a list that lost an element", `${V1}machine: {certSANs: [a, b, c]}`, `${V1}machine: {certSANs: [a, c]}`],
    ["a list that gained elements", `${V1}machine: {certSANs: [a]}`, `${V1}machine: {certSANs: [a, b]}`],
    ["a keyed list reshaped", `${V1}machine: {network: {interfaces: [{interface: eth0, mtu: 1}, {interface: eth1}]}}`, `${V1}machine: {network: {interfaces: [{interface: eth1, mtu: 5}]}}`],
    ["documents added, removed and reordered", `${V1}machine: {}\n---\n${link("a")}\n---\n${link("b")}\n---\n${link("c")}`, `${V1}machine: {}\n---\n${link("c")}\n---\n${link("a")}\n---\n${link("d")}`],
    ["a document whose Merge-always fields must be restated", "apiVersion: v1alpha1\nkind: VolumeConfig\nname: E\nprovisioning: {minSize: 1GB, maxSize: 2GB}", "apiVersion: v1alpha1\nkind: VolumeConfig\nname: E\nprovisioning: {minSize: 1GB, maxSize: 3GB}"],
    ["a certificate key emptied", `${V1}machine: {ca: {crt: A, key: B}}`, `${V1}machine: {ca: {crt: A, key: ""}}`],
    ["an URL shortened", `${V1}cluster: {controlPlane: {endpoint: "https://a:6443/x?y"}}`, `${V1}cluster: {controlPlane: {endpoint: "https://a:6443"}}`],
    ["extraArgs changed", `${V1}cluster: {apiServer: {extraArgs: {a: x, b: y}}}`, `${V1}cluster: {apiServer: {extraArgs: {a: z}}}`],
  ];
  for (const [name, from, to] of cases) {
    test(name, () => {
      const f = deepFreeze(docs(from));
      const t = deepFreeze(docs(to));
      const patch = derivePatch(f, t);
      assert.equal(encodeConfig(applyPatches(f, [patch])), talos(to));
      // the patch is also loadable as Talos would load it from its file
      assert.equal(encodeConfig(applyPatches(f, [parsePatch(encodeConfig(patch), "derived.yaml")])), talos(to));
    });
  }
  test("the same configs give an empty patch", () => {
    assert.deepEqual(derivePatch(docs(`${V1}machine: {type: worker}`), docs(`${V1}machine: {type: worker}`)), []);
  });
  test("for Talos before 1.14, a value deleted and set again leaves no document set twice in the patch", () => {
    const host = (name: string): string => `apiVersion: v1alpha1\nkind: HostnameConfig\nauto: "off"\nhostname: ${name}\n`;
    const from = deepFreeze(docs(`${V1}machine: {certSANs: [a, b], network: {hostname: x}}\n---\n${host("h1")}`));
    const to = deepFreeze(docs(`${V1}machine: {certSANs: [a], network: {hostname: y}}\n---\n${host("h2")}`));
    for (const contract of ["1.12", "1.13", "1.14"] as const) {
      const patch = derivePatch(from, to, { contract });
      const text = encodeConfig(patch);
      const setting = patch.filter((d) => d.kind === undefined && (d.machine as Record<string, unknown>).network !== undefined);
      assert.equal(setting.length, 1, `${contract}: one v1alpha1 document sets what changed`);
      if (contract !== "1.14") {
        // the deletes stand alone, which Talos's loader does not count; the rest is set once
        assert.deepEqual(patch[0], { version: "v1alpha1", machine: { certSANs: { $patch: "delete" } } });
        assert.deepEqual(setting[0], { version: "v1alpha1", machine: { certSANs: ["a"], network: { hostname: "y" } } });
      }
      // talosctl of that release loads the patch file, and it gives the second config exactly
      const loaded = parsePatch(text, "derived.yaml", { contract });
      assert.equal(encodeConfig(applyPatches(from, [loaded], { contract })), encodeConfig(applyPatches(from, [patch], { contract })));
      assert.equal(encodeConfig(applyPatches(from, [loaded], { contract })), talos(encodeConfig(to), contract));
    }
  });
  test("removing the v1alpha1 document cannot be derived", () => {
    assertTalcError(() => derivePatch(docs(`${V1}machine: {}\n---\n${link("a")}`), docs(link("a"))), { message: /no v1alpha1 document/ });
  });
});

// ---------------------------------------------------------------------------
// properties over generated configs and patches

class Gen {
  constructor(readonly rand: () => number) {}
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  some<T>(xs: readonly T[], max = xs.length): T[] {
    return xs.filter(() => this.chance(0.5)).slice(0, max);
  }
  word(): string {
    return this.pick(["a", "b", "c", "d", "x1", "y2", "zz", ""]);
  }
}

const IFACES = ["eth0", "eth1", "eth2", "bond0"];
const LINKS = ["eth0", "eth1", "eth2"];

// A random config: the v1alpha1 document and a few multi-document kinds.
function genConfig(g: Gen): ConfigDocument[] {
  const machine: Record<string, unknown> = { type: g.pick(["worker", "controlplane"]) };
  if (g.chance(0.6)) machine.certSANs = g.some(["a.example", "b.example", "c.example"]);
  if (g.chance(0.6)) machine.nodeLabels = Object.fromEntries(g.some(["k1", "k2", "k3"]).map((k) => [k, g.word()]));
  if (g.chance(0.7)) {
    const network: Record<string, unknown> = {};
    if (g.chance(0.5)) network.hostname = g.pick(["n1", "n2"]);
    if (g.chance(0.7)) {
      network.interfaces = g.some(IFACES).map((name) => ({
        interface: name,
        ...(g.chance(0.5) ? { mtu: g.pick([1400, 1500, 9000]) } : {}),
        ...(g.chance(0.5) ? { dhcp: g.chance(0.5) } : {}),
        ...(g.chance(0.4) ? { vlans: g.some([10, 20, 30]).map((id) => ({ vlanId: id, ...(g.chance(0.5) ? { mtu: 1500 } : {}) })) } : {}),
      }));
    }
    machine.network = network;
  }
  if (g.chance(0.4)) machine.sysctls = Object.fromEntries(g.some(["net.a", "net.b"]).map((k) => [k, g.pick(["0", "1"])]));
  const cluster: Record<string, unknown> = {};
  if (g.chance(0.5)) cluster.network = { podSubnets: g.some(["10.0.0.0/8", "10.1.0.0/16"]), serviceSubnets: ["10.96.0.0/12"] };
  if (g.chance(0.4)) cluster.apiServer = { extraArgs: Object.fromEntries(g.some(["a", "b", "c"]).map((k) => [k, g.word() || "v"])) };
  const out: ConfigDocument[] = [{ version: "v1alpha1", machine, ...(Object.keys(cluster).length > 0 ? { cluster } : {}) }];
  for (const name of g.some(LINKS)) {
    out.push({ apiVersion: "v1alpha1", kind: "LinkConfig", name, ...(g.chance(0.5) ? { mtu: g.pick([1500, 9000]) } : {}), ...(g.chance(0.5) ? { addresses: g.some(["10.0.0.1/24", "10.0.0.2/24"]).map((address) => ({ address })) } : {}) });
  }
  if (g.chance(0.4)) out.push({ apiVersion: "v1alpha1", kind: "SysctlConfig", params: Object.fromEntries(g.some(["x", "y"]).map((k) => [k, g.pick(["1", "2"])])) });
  return out;
}

// A patch that Talos's rules make idempotent: maps, replace fields, keyed lists of scalars.
function genIdempotentPatch(g: Gen): ConfigDocument[] {
  const machine: Record<string, unknown> = {};
  if (g.chance(0.5)) machine.nodeLabels = Object.fromEntries(g.some(["k1", "k4"]).map((k) => [k, g.word()]));
  if (g.chance(0.5)) machine.network = { hostname: g.pick(["n1", "n3", ""]), interfaces: g.some(IFACES, 2).map((name) => ({ interface: name, mtu: g.pick([0, 1450]), dhcp: g.chance(0.5) })) };
  if (g.chance(0.4)) machine.sysctls = { "net.a": g.pick(["0", "1"]) };
  const out: ConfigDocument[] = [{ machine }];
  if (g.chance(0.4)) out[0].cluster = { network: { podSubnets: [g.pick(["10.9.0.0/16", "10.8.0.0/16"])] }, apiServer: { extraArgs: { b: g.pick(["p", "q"]) } } };
  if (g.chance(0.5)) out.push({ apiVersion: "v1alpha1", kind: "LinkConfig", name: g.pick(LINKS), mtu: g.pick([1280, 9000]) });
  if (g.chance(0.3)) out.push({ apiVersion: "v1alpha1", kind: "SysctlConfig", params: { x: "3" } });
  return out;
}

describe("properties", () => {
  test("encodesEqual is comparing what encodeValue writes", () => {
    const g = new Gen(rng(20261124));
    const sys = typeSystem();
    // every pair of values at the same place of two decoded documents, down the type
    const pairs = (a: unknown, b: unknown, t: GoType, out: Array<[unknown, unknown, GoType]>, depth = 0): void => {
      out.push([a, b, t]);
      if (depth > 6) return;
      if (t.k === "ptr") return pairs(a, b, t.elem, out, depth + 1);
      const x = a !== null && typeof a === "object" ? (a as Record<string, unknown>) : {};
      const y = b !== null && typeof b === "object" ? (b as Record<string, unknown>) : {};
      if (t.k === "struct") for (const f of t.fields) pairs(x[f.key], y[f.key], sys.type(f.go), out, depth + 1);
      if (t.k === "map") for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) pairs(x[k], y[k], t.val, out, depth + 1);
      if (t.k === "slice") for (let i = 0; i < Math.max(Array.isArray(a) ? a.length : 0, Array.isArray(b) ? b.length : 0); i++) pairs((a as unknown[])?.[i], (b as unknown[])?.[i], t.elem, out, depth + 1);
    };
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
    let equal = 0;
    let checked = 0;
    for (let i = 0; i < 150; i++) {
      const [one, two] = [genConfig(g), genConfig(g)];
      for (const a of one) {
        for (const b of [...two, normalizeDocument(a)]) {
          if (a.kind !== b.kind) continue;
          const root = sys.type(sys.rootOf(typeof a.kind === "string" ? a.kind : "v1alpha1")!);
          const out: Array<[unknown, unknown, GoType]> = [];
          pairs(decodeDocument(a), decodeDocument(b), root, out);
          for (const [x, y, t] of out) {
            const want = same(encodeValue(x, t, sys), encodeValue(y, t, sys));
            assert.equal(encodesEqual(x, y, t, sys), want, `${t.expr}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
            checked++;
            if (want) equal++;
          }
        }
      }
    }
    assert.ok(checked > 10_000 && equal > checked / 10 && equal < checked, `${equal} of ${checked} pairs equal`);
  });

  test("derive then apply gives the second config, byte for byte", () => {
    const g = new Gen(rng(20260821));
    for (let i = 0; i < 150; i++) {
      const from = deepFreeze(genConfig(g));
      const to = deepFreeze(genConfig(g));
      const patch = derivePatch(from, to);
      assert.equal(encodeConfig(applyPatches(from, [patch])), encodeConfig(applyPatches(to, [])), `case ${i}`);
    }
  });
  test("applying a map/replace/keyed patch twice changes nothing the second time", () => {
    const g = new Gen(rng(7));
    for (let i = 0; i < 150; i++) {
      const config = deepFreeze(genConfig(g));
      const patch: PatchInput = deepFreeze(genIdempotentPatch(g));
      const once = applyPatches(config, [patch]);
      assert.equal(encodeConfig(applyPatches(once, [patch])), encodeConfig(once), `case ${i}`);
    }
  });
  test("applying a plain-list patch twice appends twice", () => {
    const g = new Gen(rng(11));
    for (let i = 0; i < 100; i++) {
      const config = deepFreeze(genConfig(g));
      const added = g.some(["p.example", "q.example"]);
      const patch = deepFreeze([{ machine: { certSANs: added } }]);
      const before = (applyPatches(config, []) as Array<{ machine?: { certSANs?: string[] } }>)[0].machine?.certSANs ?? [];
      const twice = (applyPatches(config, [patch, patch]) as Array<{ machine?: { certSANs?: string[] } }>)[0].machine?.certSANs ?? [];
      assert.deepEqual(twice, [...before, ...added, ...added], `case ${i}`);
    }
  });
  test("inputs are never mutated (they are frozen), and results share nothing with them", () => {
    const g = new Gen(rng(3));
    // every object (list or mapping) inside a value
    const objects = (v: unknown, into = new Set<unknown>()): Set<unknown> => {
      if (typeof v === "object" && v !== null) {
        into.add(v);
        for (const x of Object.values(v)) objects(x, into);
      }
      return into;
    };
    for (let i = 0; i < 50; i++) {
      const config = deepFreeze(genConfig(g));
      const snapshot = JSON.stringify(config);
      const out = applyPatches(config, [deepFreeze(genIdempotentPatch(g)), deepFreeze({ document: "v1alpha1", ops: [{ op: "add", path: "/machine/certSANs/-", value: "z" }] })]);
      assert.equal(JSON.stringify(config), snapshot);
      const inputs = objects(config);
      assert.ok([...objects(out)].every((o) => !inputs.has(o)), `case ${i}: the result shares an object with the input`);
      // results are sealed: frozen all the way down, so later stages may share and cache them
      const certSANs = (out[0] as { machine: { certSANs: string[] } }).machine.certSANs;
      assert.throws(() => certSANs.push("mutated"), TypeError);
    }
  });
});

// ---------------------------------------------------------------------------
// the CLI


const cli = (argv: string[], cwd: string) => runCommand(patchCommand, argv, cwd);

describe("talc patch", () => {
  function workspace(): string {
    const dir = tempDir();
    writeFileSync(join(dir, "config.yaml"), `${V1}machine: {type: worker, network: {hostname: a}}\n`);
    writeFileSync(join(dir, "p.yaml"), "machine: {network: {hostname: b}}\n");
    mkdirSync(join(dir, "out"));
    return dir;
  }
  test("prints the patched config in Talos's encoding when the last patch is strategic", async () => {
    const dir = workspace();
    const r = await cli(["--config", "config.yaml", "-p", '[{"op": "add", "path": "/machine/certSANs", "value": ["x"]}]', "--patch", "@p.yaml"], dir);
    assert.equal(r.code, 0, r.stderr);
    // talosctl prints a newline after the config, which ends with one
    assert.equal(r.stdout, `${talos(`${V1}machine: {type: worker, certSANs: [x], network: {hostname: b}}`)}\n`);
  });
  test("after a last JSON6902 patch, prints the bytes of Talos's JSON round trip (patch-json6902-output.test.ts)", async () => {
    const dir = workspace();
    const r = await cli(["--config", "config.yaml", "--patch", "@p.yaml", "-p", '[{"op": "add", "path": "/machine/certSANs/-", "value": "x"}]'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "cluster: null\nmachine:\n  certSANs:\n  - x\n  network:\n    hostname: b\n  token: \"\"\n  type: worker\nversion: v1alpha1\n\n");
  });
  test("writes the config as the talosctl of --talos-version writes it", async () => {
    const dir = workspace();
    // a strategic patch last: talosctl writes the decoded config in its release's encoding
    const on = '{"machine": {"network": {"hostname": "on"}}}';
    const quoted = async (version: string[]) => /hostname: (\S+)/.exec((await cli(["-c", "config.yaml", "-p", on, ...version], dir)).stdout)?.[1];
    assert.equal(await quoted(["--talos-version", "v1.13.9"]), '"on"');
    assert.equal(await quoted(["--talos-version", "v1.14.0"]), "'on'");
    assert.equal(await quoted([]), "'on'");
  });
  test("takes the config as the only argument, as talosctl does", async () => {
    const r = await cli(["config.yaml", "-p", "@p.yaml"], workspace());
    assert.equal(r.code, 0, r.stderr);
  });
  test("--output writes the file, and refuses to overwrite without --force", async () => {
    const dir = workspace();
    assert.equal((await cli(["-c", "config.yaml", "-p", "@p.yaml", "-o", "out/cp.yaml"], dir)).code, 0);
    const before = treeHash(dir);
    const again = await cli(["-c", "config.yaml", "-p", "@p.yaml", "-o", "out/cp.yaml"], dir);
    assert.equal(again.code, 2);
    assert.equal(treeHash(dir), before);
    assert.equal((await cli(["-c", "config.yaml", "-p", "@p.yaml", "-o", "out/cp.yaml", "--force"], dir)).code, 0);
  });
  test("warns of what talosctl leaves unread, and leaves it unread too", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "ops.yaml"), "---\n# add a SAN\n---\n- op: add\n  path: /machine/certSANs\n  value: [x]\n");
    const r = await cli(["-c", "config.yaml", "-p", "@ops.yaml"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, (await cli(["-c", "config.yaml", "-p", "[]"], dir)).stdout);
    assert.match(r.stderr, /^talc: warning: ops\.yaml: talosctl reads this patch as an empty JSON6902 patch: .* ignores document 2; remove the empty document 1\n$/);
  });
  const bad: Array<[string, string[], RegExp]> = [
    ["a missing config", ["-c", "nope.yaml", "-p", "@p.yaml", "-o", "out/x.yaml"], /nope\.yaml: config file not found/],
    ["a missing patch file", ["-c", "config.yaml", "-p", "@nope.yaml", "-o", "out/x.yaml"], /nope\.yaml: patch file not found/],
    ["a patch that is not YAML", ["-c", "config.yaml", "-p", "machine: [", "-o", "out/x.yaml"], /inline patch:1: not valid YAML/],
    ["a patch with an unknown field", ["-c", "config.yaml", "-p", "machine: {netwrk: {}}", "-o", "out/x.yaml"], /inline patch: machine\.netwrk: unknown field/],
    ["a patch with nothing to apply", ["-c", "config.yaml", "-p", "version: v1alpha1", "-o", "out/x.yaml"], /inline patch: document 1: the patch has nothing to apply/],
    [
      "a document twice in a patch for Talos 1.13",
      ["-c", "config.yaml", "--talos-version", "v1.13.9", "-p", "machine: {certSANs: [a]}\n---\nmachine: {certSANs: [b]}", "-o", "out/x.yaml"],
      /inline patch: document 2: duplicate document v1alpha1, given first as document 1/,
    ],
    ["no patch", ["-c", "config.yaml", "-o", "out/x.yaml"], /missing --patch/],
    ["an unknown option", ["-c", "config.yaml", "--bogus", "-o", "out/x.yaml"], /bogus/],
  ];
  for (const [name, argv, message] of bad) {
    test(`${name}: exit 2, one line, nothing written`, async () => {
      const dir = workspace();
      const before = treeHash(dir);
      const r = await cli(argv, dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1);
      assert.equal(r.stdout, "");
      assert.equal(treeHash(dir), before);
    });
  }
  test("--help", async () => {
    const r = await cli(["--help"], workspace());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /usage: talc patch/);
  });
});
