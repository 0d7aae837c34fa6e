// The bad-input corpus: hostile and mistaken input to every place talc reads
// from a pull request or a command line. Each case is data: the files it adds
// to a repository whose out/ is already built, the command it runs, and what
// the one-line error must name (the file and line, or the config path).
// test/corpus.test.ts runs every case and demands exit 2, no stack trace, and
// out/ byte for byte as it was. Fuzz finds are replayed from regressions/.

/** One named bad input. */
export interface CorpusCase {
  name: string;
  /** What kind of input is bad. */
  kind: "definition" | "patch" | "config" | "secrets" | "arguments" | "repository";
  /** Files to add to the repository (relative paths), as text or bytes. */
  files?: Record<string, string | Uint8Array>;
  /** Symbolic links to add: path → target (`@outside` stands for a folder outside the repository). */
  links?: Record<string, string>;
  /** Replace out/ by a file with this content. */
  outIsFile?: string;
  /** The talc command line, run in the repository. `@outside` is replaced by a folder outside it. */
  argv: string[];
  /** What stderr must match to name where the problem is: `file:line`, or the config path. */
  where: RegExp;
  /** What the message must say, when more than `where`. */
  message?: RegExp;
}

/** The valid cluster every repository of the corpus starts with, already built into out/. */
export const BASE_CLUSTER = `import { defineCluster } from "talc";

export default defineCluster({
  name: "tiny",
  talosVersion: "v1.13.9",
  kubernetesVersion: "1.36.3",
  endpoint: "https://10.0.0.1:6443",
  install: { disk: "/dev/sda" },
  nodes: [{ hostname: "cp-1", role: "controlplane", address: "10.0.0.11/24", link: "eth0", gateway: "10.0.0.1" }],
});
`;

// A second cluster file, one field per line (line 3 is name, 4 talosVersion, … 8 nodes, 9 patches), with some fields replaced.
const FIELDS: Array<[string, string]> = [
  ["name", '"bad"'],
  ["talosVersion", '"v1.13.9"'],
  ["kubernetesVersion", '"1.36.3"'],
  ["endpoint", '"https://10.0.0.2:6443"'],
  ["install", '{ disk: "/dev/sda" }'],
  ["nodes", '[{ hostname: "cp-1", role: "controlplane" }]'],
];

function cluster(fields: Record<string, string> = {}, prelude = ""): string {
  const lines = FIELDS.map(([k, v]) => `  ${k}: ${Object.hasOwn(fields, k) ? fields[k] : v},`);
  for (const [k, v] of Object.entries(fields)) if (!FIELDS.some(([f]) => f === k)) lines.push(`  ${k}: ${v},`);
  return `${prelude}import { defineCluster } from "talc";\nexport default defineCluster({\n${lines.join("\n")}\n} as any);\n`;
}

// A definition case: clusters/bad.ts, built.
function def(name: string, source: string | Uint8Array, where: RegExp, message?: RegExp): CorpusCase {
  return { name, kind: "definition", files: { "clusters/bad.ts": source }, argv: ["build"], where, message };
}

// A value with a cycle, a getter, … needs code around the definition.
const evalDef = (body: string): string => `import { defineCluster } from "talc";\n${body}\n`;

const BAD = /clusters\/bad\.ts/;

const bundle = `cluster:
    id: tbmni0vZti_6uUQNdz4fMcsmgdWNK0nkd4FVQdPCpag=
    secret: XiUJLEaKtRHCYZxZKvnsd1KeRdzvUttNmnflHrTbaSA=
secrets:
    bootstraptoken: h0hpl4.qk1dacd3ydkvvbqn
    secretboxencryptionsecret: 0zxrqWHfU1VCfE9ntGJ4DmG5P5kqiVSTwOBs5Ndaa5I=
trustdinfo:
    token: 8xvd2k.9jlcyhpnh0c5k9nl
certs:
    etcd:
        crt: Zm9v
        key: Zm9v
`;

const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
  "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]",
  "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]",
  "machine: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]",
].join("\n");

const CONFIG = "version: v1alpha1\nmachine:\n  type: worker\n  token: '******'\n  install:\n    disk: /dev/sda\ncluster:\n  controlPlane:\n    endpoint: https://10.0.0.1:6443\n";

// A patch case: `talc patch` of a good config with a bad patch file.
function patch(name: string, text: string | Uint8Array, where: RegExp, message?: RegExp, file = "p.yaml"): CorpusCase {
  return { name, kind: "patch", files: { "c.yaml": CONFIG, [file]: text }, argv: ["patch", "--config", "c.yaml", "--patch", `@${file}`], where, message };
}

// A config case: `talc validate` of a bad config file.
function config(name: string, text: string | Uint8Array, where: RegExp, message?: RegExp): CorpusCase {
  return { name, kind: "config", files: { "c.yaml": text }, argv: ["validate", "--config", "c.yaml"], where, message };
}

// A secrets case: `talc gen config` with a bad bundle.
function secrets(name: string, text: string | Uint8Array, where: RegExp, message?: RegExp): CorpusCase {
  return {
    name,
    kind: "secrets",
    files: { "s.yaml": text },
    argv: ["gen", "config", "c", "https://10.0.0.1:6443", "--with-secrets", "s.yaml", "--output-types", "controlplane", "--output", "-"],
    where,
    message,
  };
}

function args(name: string, argv: string[], where: RegExp, message?: RegExp): CorpusCase {
  return { name, kind: "arguments", files: { "c.yaml": CONFIG }, argv, where, message };
}

const bytes = (...parts: Array<string | number[]>): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

// A text with bytes that are not UTF-8 where it says @@.
const withBytes = (text: string, raw: number[]): Uint8Array => bytes(...text.split("@@").flatMap((part, i) => (i === 0 ? [part] : [raw, part])));

/** Every case of the corpus. */
export const CORPUS: readonly CorpusCase[] = [
  // --- definitions: TypeScript that does not load
  def("ts-syntax-error", cluster({ name: '"bad",,' }), /clusters\/bad\.ts:3:/),
  def("ts-unterminated-string", cluster({ endpoint: '"https://10.0.0.2:6443' }), /clusters\/bad\.ts:6:/),
  def("ts-invalid-utf8-in-code", bytes("const x = 1;", [0xff, 0xfe], "\n", cluster()), /clusters\/bad\.ts:1:/),
  def("ts-invalid-utf8-in-comment", bytes("// caf", [0xc3, 0x28], "\n", cluster()), /clusters\/bad\.ts:1: not valid UTF-8/),
  def("ts-invalid-utf8-in-string", withBytes(cluster({ patches: '[{ machine: { network: { hostname: "caf@@" } } }]' }), [0xc3, 0x28]), /clusters\/bad\.ts:9: not valid UTF-8/),
  def("ts-throws-while-loading", evalDef('throw new Error("no definitions today");'), BAD, /no definitions today/),
  def("ts-rejected-top-level-await", evalDef('await Promise.reject(new Error("later"));\nexport default {};'), BAD, /later/),
  def("ts-no-default-export", evalDef("export const cluster = 1;"), BAD, /default-export/),
  def("ts-default-export-string", evalDef('export default "tiny";'), BAD, /default-export/),
  def("ts-default-export-promise", evalDef("export default Promise.resolve({});"), BAD, /Promise, not a plain object/),
  def("ts-missing-import", evalDef('import { servers } from "./lib/nope.ts";\nexport default servers;'), /clusters\/bad\.ts:2:/, /nope/),

  // --- definitions: wrong types and values
  def("name-wrong-type", cluster({ name: "5" }), /clusters\/bad\.ts(:\d+)?: name: expected string/),
  def("nodes-not-a-list", cluster({ nodes: '"cp-1"' }), /clusters\/bad\.ts:8: nodes: expected array/),
  def("node-without-role", cluster({ nodes: '[{ hostname: "cp-1" }]' }), /clusters\/bad\.ts(:\d+)?: nodes\[0\]: nodes\[0\] needs "role"/),
  def("unknown-field", cluster({ nodez: "[]" }), /clusters\/bad\.ts:9: nodez: unknown field "nodez"; did you mean "nodes"/),
  def("endpoint-not-https", cluster({ endpoint: '"http://10.0.0.2:6443"' }), /clusters\/bad\.ts:6: endpoint:/),
  def("address-not-cidr", cluster({ nodes: '[{ hostname: "cp-1", role: "controlplane", address: "10.0.0.300/24" }]' }), /clusters\/bad\.ts:8: nodes\[0\]\.address:/),
  def("no-control-plane", cluster({ nodes: '[{ hostname: "w-1", role: "worker" }]' }), /clusters\/bad\.ts(:\d+)?: nodes: a cluster needs at least one node with role controlplane/),
  def("gateway-without-address", cluster({ nodes: '[{ hostname: "cp-1", role: "controlplane", gateway: "10.0.0.1" }]' }), /nodes\[0\]: "gateway" and "link" go with a static "address"/),
  def("duplicate-hostname", cluster({ nodes: '[{ hostname: "cp-1", role: "controlplane" }, { hostname: "cp-1", role: "worker" }]' }), /nodes\[1\]\.hostname: duplicate hostname "cp-1"/),
  def("duplicate-cluster-name", cluster({ name: '"tiny"' }), /clusters\/(bad|tiny)\.ts: name: cluster name "tiny" is used by clusters\/(bad|tiny)\.ts too/),
  def("huge-number", cluster({ patches: "[{ machine: { network: { interfaces: [{ interface: \"eth0\", mtu: 1e300 }] } } }]" }), /clusters\/bad\.ts: patches\[0\]: machine\.network\.interfaces\[0\]\.mtu:/, /out of range/),
  def("huge-string", cluster({ name: '"a".repeat(5_000_000)' }), /clusters\/bad\.ts(:\d+)?: name: "a{10,}… \(5000002 characters\)/),
  def("deep-nesting", evalDef("let deep: any = {};\nconst top = deep;\nfor (let i = 0; i < 10000; i++) deep = deep.x = {};\n" + cluster({ patches: "[top]" }).split("\n").slice(1).join("\n")), /patches\[0\]\.x\.x\.x/, /nests deeper than 64 levels/),
  def("wide-sharing", evalDef("let v: any = [1];\nfor (let i = 0; i < 40; i++) v = [v, v];\n" + cluster({ patches: "[{ machine: { certSANs: v } }]" }).split("\n").slice(1).join("\n")), /patches\[0\]\.machine\.certSANs/, /more than 1000000 values/),
  def("cycle", evalDef('const patch: any = { machine: {} };\npatch.machine.self = patch;\n' + cluster({ patches: "[patch]" }).split("\n").slice(1).join("\n")), /clusters\/bad\.ts: patches\[0\]\.machine\.self:/, /a cycle/),
  def("bigint", cluster({ nodes: '[{ hostname: "cp-1", role: "controlplane", install: { disk: 1n } }]' }), /nodes\[0\]\.install\.disk: 1n is a bigint/),
  def("function-value", cluster({ patches: "[{ machine: { network: { hostname: () => \"x\" } } }]" }), /patches\[0\]\.machine\.network\.hostname: is a function/),
  def("symbol-value", cluster({ patches: '[{ machine: { network: { hostname: Symbol("x") } } }]' }), /patches\[0\]\.machine\.network\.hostname: is a symbol/),
  def("map-instead-of-object", cluster({ patches: '[new Map([["machine", {}]])]' }), /patches\[0\]: is a Map, not a plain object/),
  def("date-value", cluster({ policy: '{ waivers: [{ rule: "x", reason: "y", expires: new Date(0) }] }' }), /policy\.waivers\[0\]\.expires: is a Date/),
  def("hole-in-list", cluster({ patches: "[, { machine: {} }]" }), /patches\[0\]: is a hole in the list/),
  def("undefined-in-list", cluster({ patches: "[undefined]" }), /patches\[0\]: is undefined/),
  def("lone-surrogate", cluster({ patches: '[{ machine: { network: { hostname: "a\\ud800" } } }]' }), /patches\[0\]\.machine\.network\.hostname: the string has an unpaired UTF-16 surrogate/),
  def("getter-throws", evalDef('export default { get name(): string { throw new Error("secret getter"); } };'), /clusters\/bad\.ts: name: reading the value failed: secret getter/),
  def("proxy-throws", evalDef('export default new Proxy({}, { ownKeys() { throw new Error("no keys"); } });'), /clusters\/bad\.ts: reading the value failed: no keys/),
  def("proto-key-in-definition", evalDef('export default JSON.parse(\'{"__proto__": {"polluted": 1}, "name": "bad"}\');'), /clusters\/bad\.ts: __proto__: key "__proto__" is not allowed/),
  def("proto-key-in-patch", cluster({ patches: "[JSON.parse('{\"machine\": {\"__proto__\": {\"polluted\": 1}}}')]" }), /patches\[0\]\.machine\.__proto__: key "__proto__" is not allowed/),
  def("constructor-key-in-patch", cluster({ patches: "[{ machine: { constructor: { prototype: { polluted: 1 } } } }]" }), /patches\[0\]\.machine\.constructor: key "constructor" is not allowed/),
  def("unknown-document-kind", cluster({ patches: '[{ apiVersion: "v1alpha1", kind: "HostnameConfg", hostname: "x" }]' }), /patches\[0\]: document 1: unknown document kind "HostnameConfg"/, /did you mean "HostnameConfig"/),
  def("definition-patch-wrong-type", cluster({ patches: '[{ machine: { install: { disk: ["/dev/sda"] } } }]' }), /patches\[0\]: machine\.install\.disk:/),
  def("patch-is-a-string", cluster({ patches: '["machine: {}"]' }), /clusters\/bad\.ts:9: patches\[0\]: expected object/),
  def("json6902-missing-path", cluster({ patches: '[{ document: "v1alpha1", ops: [{ op: "remove", path: "/machine/nope/x" }] }]' }), /patches\[0\]: \/machine\/nope\/x:/),
  def("json6902-proto-path", cluster({ patches: '[{ document: "v1alpha1", ops: [{ op: "add", path: "/machine/__proto__/x", value: 1 }] }]' }), /patches\[0\]: \[0\]: operation 1: path "\/machine\/__proto__\/x" has the segment "__proto__"/),
  def("json6902-unknown-document", cluster({ patches: '[{ document: "WireguardConfig", ops: [{ op: "add", path: "/x", value: 1 }] }]' }), /patches\[0\]: document: no document WireguardConfig/),

  // --- definitions: names that would be unsafe file names
  def("name-dot-dot", cluster({ name: '".."' }), /clusters\/bad\.ts:3: name: "\.\." is not a valid name/),
  def("name-with-slash", cluster({ name: '"../escape"' }), /clusters\/bad\.ts:3: name: "\.\.\/escape" is not a valid name/),
  def("name-with-nul", cluster({ name: '"a\\u0000b"' }), /name: "a\\u0000b" is not a valid name/),
  def("name-leading-dot", cluster({ name: '".talc"' }), /clusters\/bad\.ts:3: name: "\.talc" is not a valid name/),
  def("name-reserved", cluster({ name: '"con"' }), /clusters\/bad\.ts:3: name: "con" is a reserved file name/),
  def("name-too-long", cluster({ name: `"${"a".repeat(64)}"` }), /clusters\/bad\.ts:3: name: "a{64}" is not a valid name/),
  def("name-empty", cluster({ name: '""' }), /clusters\/bad\.ts(:\d+)?: name:/),
  def("hostname-path", cluster({ nodes: '[{ hostname: "../../etc/passwd", role: "controlplane" }]' }), /clusters\/bad\.ts:8: nodes\[0\]\.hostname: "\.\.\/\.\.\/etc\/passwd" is not a valid hostname/),
  def("hostname-leading-dot", cluster({ nodes: '[{ hostname: ".cp", role: "controlplane" }]' }), /nodes\[0\]\.hostname: "\.cp" is not a valid hostname/),
  def("hostname-reserved", cluster({ nodes: '[{ hostname: "nul", role: "controlplane" }]' }), /clusters\/bad\.ts:8: nodes\[0\]\.hostname: "nul" is a reserved file name/),
  def("hostname-too-long", cluster({ nodes: `[{ hostname: "${"h".repeat(64)}", role: "controlplane" }]` }), /nodes\[0\]\.hostname: "h{64}" is not a valid hostname/),

  // --- definitions: conflicting versions
  def("talos-version-unsupported", cluster({ talosVersion: '"v9.9.9"' }), /clusters\/bad\.ts:4: talosVersion:/, /not a supported version contract/),
  def("talos-version-inexact", cluster({ talosVersion: '"v1.13"' }), /clusters\/bad\.ts:4: talosVersion: "v1\.13" is not a valid talosVersion/),
  def("kubernetes-outside-window", cluster({ kubernetesVersion: '"1.20.0"' }), /clusters\/bad\.ts:5: kubernetesVersion:/, /pick a version in that window/),
  def("kernel-args-on-1.14", cluster({ talosVersion: '"v1.14.0-rc.1"', kubernetesVersion: '"1.37.0-rc.0"', install: '{ disk: "/dev/sda", extraKernelArgs: ["x"] }' }), /install\.extraKernelArgs: Talos 1\.14 takes kernel arguments from the boot image/),
  def("image-and-extensions", cluster({ install: '{ disk: "/dev/sda", image: "ghcr.io/siderolabs/installer:v1.13.9", extensions: ["siderolabs/iscsi-tools"] }' }), /nodes\[0\]\.install: an explicit installer image and "extensions" exclude each other/),

  // --- patches (talc patch)
  patch("patch-yaml-syntax", "machine:\n  network: [\n", /p\.yaml:3: not valid YAML/),
  patch("patch-duplicate-key", "machine:\n  type: worker\n  type: controlplane\n", /p\.yaml:3: not valid YAML: map keys must be unique/),
  patch("patch-alias-bomb", ALIAS_BOMB, /p\.yaml:\d+: too many alias expansions/),
  patch("patch-recursive-alias", "machine:\n  certSANs: &a [*a]\n", /p\.yaml:2: anchor &a's value contains itself/),
  patch("patch-invalid-utf8", bytes("machine:\n  network:\n    hostname: caf", [0xc3, 0x28], "\n"), /p\.yaml:3: not valid UTF-8/),
  patch("patch-merge-key-of-a-scalar", "machine:\n  <<: 5\n", /p\.yaml:2: a merge key \(<<\) takes a mapping or a list of mappings/),
  patch("patch-proto-key", "machine:\n  __proto__:\n    polluted: 1\n", /p\.yaml:2: key "__proto__" is not allowed/),
  patch("patch-non-string-key", "machine:\n  ? [a, b]\n  : x\n", /p\.yaml:2: a mapping key that is not a scalar/),
  patch("patch-unknown-kind", "apiVersion: v1alpha1\nkind: NetworkConfg\n", /p\.yaml: document 1: unknown document kind "NetworkConfg"/),
  patch("patch-unknown-field", "machine:\n  networking: {}\n", /p\.yaml: machine\.networking: unknown field "networking"/),
  patch("patch-wrong-type", "machine:\n  install:\n    disk: [a]\n", /p\.yaml: machine\.install\.disk:/),
  patch("patch-huge-int", "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        mtu: 99999999999999999999999\n", /p\.yaml: machine\.network\.interfaces\[0\]\.mtu: .* is out of range/),
  patch("patch-binary-not-utf8", "machine:\n  network:\n    hostname: !!binary /w==\n", /p\.yaml:3: a !!binary value that is not base64 of UTF-8 text/),
  patch("patch-json-broken", '[{"op": "add", "path": ', /p\.json: not a JSON6902 patch/, undefined, "p.json"),
  patch("patch-json-proto", '[{"op": "add", "path": "/__proto__/polluted", "value": 1}]', /p\.json: \[0\]: operation 1: path "\/__proto__\/polluted"/, undefined, "p.json"),
  patch("patch-json-unknown-op", '[{"op": "merge", "path": "/machine"}]', /p\.json: \[0\]: operation 1: unknown op "merge"/, undefined, "p.json"),
  patch("patch-json-missing-path", '[{"op": "remove", "path": "/machine/nope"}]', /p\.json: \/machine\/nope: failure applying JSON6902 patch/, undefined, "p.json"),
  {
    name: "patch-json-on-multi-document-config",
    kind: "patch",
    files: { "c.yaml": `${CONFIG}---\napiVersion: v1alpha1\nkind: HostnameConfig\nhostname: x\n`, "p.json": '[{"op": "remove", "path": "/machine"}]' },
    argv: ["patch", "--config", "c.yaml", "--patch", "@p.json"],
    where: /p\.json: JSON6902 patches are not supported for multi-document machine configuration/,
  },
  { name: "patch-missing-file", kind: "patch", files: { "c.yaml": CONFIG }, argv: ["patch", "--config", "c.yaml", "--patch", "@nope.yaml"], where: /nope\.yaml: patch file not found/ },

  // --- config files (talc validate, talc patch --config)
  config("config-yaml-syntax", "version: v1alpha1\nmachine: {type: worker\n", /c\.yaml:3: not valid YAML/),
  config("config-duplicate-key", "version: v1alpha1\nmachine:\n  type: worker\n  type: controlplane\n", /c\.yaml:4: not valid YAML: map keys must be unique/),
  config("config-alias-bomb", ALIAS_BOMB, /c\.yaml:\d+: too many alias expansions/),
  config("config-recursive-alias", "version: v1alpha1\nmachine:\n  certSANs: &a [*a]\n", /c\.yaml:3: anchor &a's value contains itself \(a recursive alias\)/),
  config("config-invalid-utf8", bytes("version: v1alpha1\nmachine:\n  type: ", [0xff, 0xfe], "\n"), /c\.yaml:3: not valid UTF-8/),
  config("config-merge-key-of-a-list", "version: v1alpha1\nmachine:\n  <<: [1]\n", /c\.yaml:3: a merge key \(<<\) takes a mapping or a list of mappings/),
  config("config-proto-key", "version: v1alpha1\nmachine:\n  __proto__: {polluted: 1}\n", /c\.yaml:3: key "__proto__" is not allowed/),
  config("config-not-a-mapping", "- version: v1alpha1\n", /c\.yaml: document 1 is not a mapping/),
  config("config-empty", "# nothing here\n", /c\.yaml: has no documents/),
  config("config-binary-not-utf8", "version: v1alpha1\nmachine:\n  type: !!binary /w==\n", /c\.yaml:3: a !!binary value that is not base64 of UTF-8 text/),
  config("config-installer-of-unknown-release", "version: v1alpha1\nmachine:\n  type: worker\n  install:\n    image: ghcr.io/siderolabs/installer:v9.9.0\n", /c\.yaml: machine\.install\.image:/, /Pass --talos-version/),
  { name: "settings-not-json", kind: "config", files: { "talc.config.json": "{ policy: " }, argv: ["build"], where: /talc\.config\.json: not valid JSON/ },
  { name: "settings-wrong-type", kind: "config", files: { "talc.config.json": "[]" }, argv: ["build"], where: /talc\.config\.json: expected an object/ },
  { name: "settings-proto-key", kind: "config", files: { "talc.config.json": '{"__proto__": {"polluted": 1}}' }, argv: ["check"], where: /talc\.config\.json: __proto__: unknown field "__proto__"/ },
  { name: "config-missing-file", kind: "config", argv: ["validate", "--config", "nope.yaml"], where: /nope\.yaml: cannot read the config \(ENOENT\)/ },
  { name: "config-is-a-folder", kind: "config", argv: ["validate", "--config", "clusters"], where: /clusters: cannot read the config \(EISDIR\)/ },
  {
    name: "config-duplicate-document-for-patch",
    kind: "config",
    files: { "c.yaml": "apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: a\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nhostname: b\n", "p.yaml": "machine: {}\n" },
    argv: ["patch", "--config", "c.yaml", "--patch", "@p.yaml"],
    where: /c\.yaml: HostnameConfig: duplicate document HostnameConfig/,
  },

  // --- secrets bundles (talc gen config --with-secrets, talc materialize --secrets)
  secrets("bundle-yaml-syntax", "cluster: [\n", /s\.yaml:2: invalid yaml/),
  secrets("bundle-duplicate-key", "cluster:\n    id: a\n    id: b\n", /s\.yaml:3: invalid yaml: Map keys must be unique/),
  secrets("bundle-unknown-key", "cluster:\n    id: a\n    sekret: b\n", /s\.yaml:3: cluster: unknown key "sekret" in cluster/),
  secrets("bundle-wrong-type", "cluster: [1]\n", /s\.yaml:1: cluster: cluster must be a mapping/),
  secrets("bundle-alias", "cluster:\n    id: &a x\n    secret: *a\n", /s\.yaml:3: cluster\.secret: cluster\.secret must be a string/),
  secrets("bundle-invalid-utf8", bytes("cluster:\n    id: ", [0xc0, 0xaf], "\n"), /s\.yaml:2: not valid UTF-8/),
  secrets("bundle-two-documents", `${bundle}---\n${bundle}`, /s\.yaml:\d+: secrets bundle holds 2 yaml documents/),
  secrets("bundle-empty", "", /s\.yaml: secrets bundle is empty/),
  secrets("bundle-bad-values", bundle, /s\.yaml: invalid secrets bundle/, /certs\.etcd is invalid/),
  secrets("bundle-proto-key", "__proto__:\n    polluted: 1\n", /s\.yaml:1: unknown key "__proto__" in the document/),
  {
    name: "bundle-for-materialize",
    kind: "secrets",
    files: { "s.yaml": "trustdinfo: {token: nope}\n" },
    argv: ["materialize", "tiny", "--secrets", "s.yaml", "--out", "@outside"],
    where: /s\.yaml: invalid secrets bundle/,
    message: /trustdinfo\.token is invalid/,
  },

  // --- command-line arguments
  args("unknown-command", ["biuld"], /unknown command "biuld"/),
  args("unknown-option", ["build", "--clusterz", "tiny"], /unknown option '--clusterz'/),
  args("option-without-value", ["build", "--cluster"], /option '--cluster <value>' argument missing/),
  args("boolean-with-value", ["build", "--debug=maybe"], /option '--debug' does not take an argument/),
  args("unknown-mode", ["build", "--mode", "vm"], /mode: invalid mode "vm"/),
  args("unknown-cluster", ["build", "--cluster", "../tiny"], /--cluster: no cluster named "\.\.\/tiny"/),
  args("cluster-with-nul", ["check", "--cluster", "ti\0ny"], /--cluster: no cluster named "ti\\u0000ny"/),
  args("unexpected-positional", ["build", "out"], /unexpected argument "out"/),
  args("unknown-format", ["check", "--format", "xml"], /format: invalid format "xml"/),
  args("root-missing", ["build", "--root", "nope"], /nope\/clusters: no clusters\/ folder/),
  args("patch-without-patch", ["patch", "--config", "c.yaml"], /--patch: missing --patch/),
  args("gen-bad-endpoint", ["gen", "config", "c", "10.0.0.1:6443", "-o", "-"], /endpoint: cluster endpoint "10\.0\.0\.1:6443" has no scheme/),
  args("gen-unknown-output-type", ["gen", "config", "c", "https://10.0.0.1:6443", "-t", "kubeconfig", "-o", "-"], /output-types: invalid output type "kubeconfig"/),
  args("lint-output-is-a-folder", ["lint", "-f", "sarif", "-o", "clusters"], /clusters: is a folder; name a file to write instead/),
  args("gen-secrets-output-inside-a-file", ["gen", "secrets", "-o", "c.yaml/s.yaml"], /c\.yaml: is a file, not a folder, so it cannot hold s\.yaml/),
  args("init-into-a-file", ["init", "c.yaml"], /c\.yaml: is not a folder; talc init needs a new folder, or an existing one/),
  args("validate-unknown-mode", ["validate", "--config", "c.yaml", "--mode", "vm"], /mode: unknown mode "vm"/),
  args("validate-unknown-version", ["validate", "--config", "c.yaml", "--talos-version", "v0.1"], /talos-version:/),
  args("materialize-into-out", ["materialize", "tiny", "--secrets", "s.yaml", "--out", "out/tiny/secret"], /out\/tiny\/secret: refusing to write configs with secrets inside out\//),
  args("materialize-unknown-cluster", ["materialize", "../tiny", "--secrets", "s.yaml", "--out", "@outside"], /no cluster named "\.\.\/tiny"/),

  // --- the repository itself
  {
    name: "out-is-a-file",
    kind: "repository",
    outIsFile: "not a folder\n",
    argv: ["check"],
    where: /out: is not a folder/,
  },
  {
    name: "cluster-folder-in-out-is-a-link",
    kind: "repository",
    links: { "out/elsewhere": "@outside" },
    argv: ["check"],
    where: /out\/elsewhere: is a symbolic link/,
  },
  {
    name: "file-in-out-is-a-link",
    kind: "repository",
    links: { "out/tiny/README.md": "@outside/secret.txt" },
    argv: ["build"],
    where: /out\/tiny\/README\.md: is a symbolic link/,
  },
];
