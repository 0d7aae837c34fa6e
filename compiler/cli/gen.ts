// `talc gen secrets` and `talc gen config`: talosctl's generators, same
// flags, same bytes. Everything is computed in memory first, so a failure
// writes nothing.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TalcError } from "../errors.ts";
import { generateSecretsBundle, encodeSecretsBundle, loadSecretsBundle } from "../secrets/bundle.ts";
import { generateTalosconfig } from "../secrets/talosconfig.ts";
import { writeFilesAtomically } from "../emit/write.ts";
import { generateConfig, type GenerateOptions, type Role } from "../generate/generate.ts";
import { encodeConfig } from "../emit/encode.ts";
import { applyPatches, loadPatches, type Patch } from "../patch/index.ts";
import { DEFAULT_CONTRACT, goURLOptions, parseContract } from "../talos/contract.ts";
import { formatGoURL, parseGoURL, type GoURLOptions } from "../talos/typed.ts";
import { endpointProblem } from "../validate/net.ts";
import { kubernetesSupport, parseKubernetesVersion, RELEASES } from "../talos/versions.ts";
import { helpText, parseCommand, type OptionSpec } from "./args.ts";
import { noPositionals, unreadWarnings } from "./common.ts";
import type { Io } from "./main.ts";

const OUTPUT_TYPES = ["controlplane", "worker", "talosconfig"] as const;
type OutputType = (typeof OUTPUT_TYPES)[number];

const SECRETS_SPECS: Record<string, OptionSpec> = {
  output: { type: "string", short: "o", default: "secrets.yaml", help: "where to write the bundle, or - for stdout" },
  "talos-version": { type: "string", help: "the Talos version the bundle is for (picks the cluster id encoding)" },
  force: { type: "boolean", help: "overwrite an existing file" },
};

const CONFIG_SPECS: Record<string, OptionSpec> = {
  "talos-version": { type: "string", help: `the Talos version to generate for (default: v${DEFAULT_CONTRACT})` },
  "kubernetes-version": { type: "string", help: "the Kubernetes version (default: the Talos release's default)" },
  "with-secrets": { type: "string", help: "a secrets bundle made by 'talc gen secrets' or 'talosctl gen secrets'" },
  "additional-sans": { type: "list", commas: true, help: "extra subject alternative names for the API server certificate" },
  "dns-domain": { type: "string", default: "cluster.local", help: "the cluster's DNS domain" },
  "install-disk": { type: "string", help: "the disk to install Talos to (none by default: choose it per machine)" },
  "install-image": { type: "string", help: "the installer image (none by default)" },
  "registry-mirror": { type: "list", commas: true, help: "a registry mirror, <registry host>=<mirror URL>" },
  "with-kubespan": { type: "boolean", default: false, help: "turn KubeSpan on" },
  "with-cluster-discovery": { type: "boolean", default: true, help: "turn the discovery service on" },
  "config-patch": { type: "list", help: "a patch for every config, @file or inline YAML/JSON" },
  "config-patch-control-plane": { type: "list", help: "a patch for control plane configs" },
  "config-patch-worker": { type: "list", help: "a patch for worker configs" },
  "output-types": { type: "list", short: "t", commas: true, default: [...OUTPUT_TYPES], help: "what to write: controlplane, worker, talosconfig" },
  output: { type: "string", short: "o", help: "a folder, a file (with one output type) or - for stdout (default: the current folder)" },
  force: { type: "boolean", help: "overwrite existing files" },
  "with-docs": { type: "boolean", help: "accepted for talosctl compatibility; talc writes no comments" },
  "with-examples": { type: "boolean", help: "accepted for talosctl compatibility; talc writes no comments" },
  version: { type: "string", default: "v1alpha1", help: "the machine config version; only v1alpha1 exists" },
};

/** `talc gen <secrets|config>`. */
export async function genCommand(argv: string[], io: Io): Promise<number> {
  const [what, ...rest] = argv;
  if (what === "secrets") return genSecrets(rest, io);
  if (what === "config") return genConfig(rest, io);
  if (what === undefined || what === "--help" || what === "-h") {
    io.stdout("usage: talc gen <secrets|config> [options]\n");
    return what === undefined ? 2 : 0;
  }
  throw new TalcError(`unknown generator "${what}"; expected secrets or config`, { code: "bad-arguments", stage: "cli" });
}

async function genSecrets(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("gen secrets", argv, SECRETS_SPECS);
  if (values.help) {
    io.stdout(helpText("talc gen secrets [options]", "Generates a secrets bundle in the layout talosctl uses, mode 0600.", SECRETS_SPECS));
    return 0;
  }
  noPositionals("gen secrets", positionals);
  const contract = values["talos-version"] === undefined ? DEFAULT_CONTRACT : parseContract(values["talos-version"] as string);
  const text = encodeSecretsBundle(await generateSecretsBundle({ contract }));
  const output = values.output as string;
  if (output === "-") {
    io.stdout(text);
    return 0;
  }
  await writeFilesAtomically([{ path: resolvePath(io, output), content: text, mode: 0o600 }], { force: values.force === true });
  io.stderr(`created ${output}\n`);
  return 0;
}

function resolvePath(io: Io, path: string): string {
  return path.startsWith("/") ? path : join(io.cwd, path);
}

// What talosctl suggests for a refused endpoint: the same host over https, with the port given or
// 6443. When that would still be refused (or is the value itself), a plain example instead.
function suggestEndpoint(endpoint: string, opts: GoURLOptions): string {
  const bare = endpoint.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/[/?#].*$/, "").replace(/^.*@/, "");
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d*))?$/.exec(bare);
  const port = m?.[2] !== undefined && Number(m[2]) >= 1 && Number(m[2]) <= 65535 ? m[2] : "6443";
  const fixed = m === null ? undefined : `https://${m[1]}:${port}`;
  return fixed === undefined || fixed === endpoint || endpointProblem(fixed, opts) !== undefined ? "https://192.168.1.10:6443" : fixed;
}

// talosctl gen config's checks (validateClusterEndpoint, then siderolabs/net's ValidateEndpointURI):
// Go's url.Parse reads it, the scheme is https, there is a host (IPv6 in brackets) and a port, if
// any, from 1 to 65535; `talc validate` applies the last ones to the config too. A path, query,
// fragment or userinfo is kept. Returns the endpoint as Talos writes it: the URL as Go prints it.
// Go reads it as the talosctl of the target release does (see goURLOptions).
function validateEndpoint(endpoint: string, opts: GoURLOptions): string {
  const bad = (why: string): TalcError =>
    new TalcError(`cluster endpoint "${endpoint}" ${why}; expected an https URL such as ${suggestEndpoint(endpoint, opts)}`, { code: "bad-endpoint", stage: "cli", path: "endpoint" });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) throw bad("has no scheme");
  if (!/^https:/i.test(endpoint)) throw bad("must use https");
  const problem = endpointProblem(endpoint, opts);
  if (problem !== undefined) throw bad(problem);
  // (endpointProblem read it as Go does: it parses, with a host)
  const url = parseGoURL(endpoint, opts);
  if (typeof url === "string") throw bad(`is not a valid URL (${url})`);
  return formatGoURL(url);
}

async function readSecrets(path: string, io: Io): Promise<GenerateOptions["secrets"]> {
  let text: string;
  try {
    text = await readFile(resolvePath(io, path), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new TalcError(`cannot read secrets bundle (${code}); expected a readable file made by 'talc gen secrets'`, {
      code: "secrets-unreadable",
      stage: "secrets",
      file: path,
    });
  }
  return loadSecretsBundle(text, path);
}

function parseMirrors(specs: string[]): Array<[string, string]> {
  return specs.map((spec) => {
    const i = spec.indexOf("=");
    if (i <= 0 || i === spec.length - 1) {
      throw new TalcError(`invalid registry mirror "${spec}"; expected <registry host>=<mirror URL>`, { code: "bad-arguments", stage: "cli", path: "registry-mirror" });
    }
    return [spec.slice(0, i), spec.slice(i + 1)];
  });
}

async function genConfig(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("gen config", argv, CONFIG_SPECS);
  if (values.help) {
    io.stdout(
      helpText(
        "talc gen config <cluster name> <cluster endpoint> [options]",
        "Generates machine configs like 'talosctl gen config', without comments.",
        CONFIG_SPECS,
      ),
    );
    return 0;
  }
  if (positionals.length !== 2) {
    throw new TalcError(`expected <cluster name> <cluster endpoint>, got ${positionals.length} argument(s); see 'talc gen config --help'`, {
      code: "bad-arguments",
      stage: "cli",
    });
  }
  const [clusterName, endpointArg] = positionals;
  const contract = values["talos-version"] === undefined ? DEFAULT_CONTRACT : parseContract(values["talos-version"] as string);
  const endpoint = validateEndpoint(endpointArg, goURLOptions(contract));
  if (values.version !== "v1alpha1") {
    throw new TalcError(`unknown config version "${String(values.version)}"; expected v1alpha1`, { code: "bad-arguments", stage: "cli", path: "version" });
  }
  const types = values["output-types"] as string[];
  for (const t of types) {
    if (!(OUTPUT_TYPES as readonly string[]).includes(t)) {
      throw new TalcError(`invalid output type "${t}"; expected ${OUTPUT_TYPES.join(", ")}`, { code: "bad-arguments", stage: "cli", path: "output-types" });
    }
  }
  if (types.length === 0) throw new TalcError("at least one output type is needed", { code: "bad-arguments", stage: "cli", path: "output-types" });
  const output = values.output as string | undefined;
  if (output === "-" && types.length > 1) {
    throw new TalcError("stdout (-o -) takes one output type; add -t controlplane, -t worker or -t talosconfig", {
      code: "bad-arguments",
      stage: "cli",
      path: "output",
    });
  }

  const kubernetesVersion = parseKubernetesVersion((values["kubernetes-version"] as string | undefined) ?? RELEASES[contract].defaultKubernetesVersion).version;
  const support = kubernetesSupport(contract, kubernetesVersion, values["talos-version"] as string | undefined);
  if (!support.supported) io.stderr(`talc: warning: ${support.message}\n`);

  const secrets =
    values["with-secrets"] !== undefined
      ? await readSecrets(values["with-secrets"] as string, io)
      : await generateSecretsBundle({ contract });
  const opts: GenerateOptions = {
    clusterName,
    endpoint,
    kubernetesVersion,
    contract,
    secrets,
    additionalSANs: values["additional-sans"] as string[],
    dnsDomain: values["dns-domain"] as string,
    installDisk: values["install-disk"] as string | undefined,
    installImage: values["install-image"] as string | undefined,
    registryMirrors: parseMirrors(values["registry-mirror"] as string[]),
    kubeSpan: values["with-kubespan"] === true ? true : undefined,
    discovery: values["with-cluster-discovery"] as boolean,
  };

  // As talosctl: --config-patch applies to every config, then the role's own patches.
  const load = (flag: string): Promise<Patch[]> => loadPatches(values[flag] as string[], { cwd: io.cwd, contract });
  const common = await load("config-patch");
  const rolePatches: Record<Role, Patch[]> = { controlplane: await load("config-patch-control-plane"), worker: await load("config-patch-worker") };

  const outputs = new Map<OutputType, string>();
  for (const t of OUTPUT_TYPES) {
    if (!types.includes(t)) continue;
    if (t === "talosconfig") {
      outputs.set(t, await generateTalosconfig({ clusterName, secrets }));
    } else {
      const role = t as Role;
      outputs.set(t, encodeConfig(applyPatches(generateConfig(opts, role), [...common, ...rolePatches[role]], { contract }), contract));
    }
  }
  unreadWarnings([...common, ...rolePatches.controlplane, ...rolePatches.worker], io);

  if (output === "-") {
    io.stdout([...outputs.values()][0]);
    return 0;
  }
  const fileName = (t: OutputType): string => (t === "talosconfig" ? "talosconfig" : `${t}.yaml`);
  const files = [...outputs].map(([t, content]) => ({
    path: output !== undefined && types.length === 1 ? resolvePath(io, output) : join(resolvePath(io, output ?? "."), fileName(t)),
    content,
    mode: t === "talosconfig" ? 0o600 : 0o644,
  }));
  await writeFilesAtomically(files, { force: values.force === true });
  for (const f of files) io.stderr(`created ${f.path}\n`);
  return 0;
}
