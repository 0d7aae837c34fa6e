// Finding a setting wherever Talos reads it: the legacy v1alpha1 field and
// its 1.14 document. Rules ask these helpers rather than reading paths, so a
// rule is written once for every contract.

import { yaml } from "../lazy.ts";
import type { ClusterDefinition } from "../define/definition.generated.ts";
import { at, isMapping, list, str } from "../value.ts";
import type { Doc } from "../validate/types.ts";
import type { Role, RuleContext } from "./types.ts";
import { child } from "./util.ts";
import { roleInstall } from "../generate/layers.ts";
import { perRun, perRunPair, runMap } from "./provenance.ts";

/** A value found in a document, with its path. */
export interface Found<T> {
  doc: Doc;
  path: string;
  value: T;
}

/** A value found in a document or in the definition. */
export interface Sourced<T> {
  doc?: Doc;
  path?: string;
  definitionPath?: string;
  value: T;
}

/** The Kubernetes and etcd components whose flags a config can set. */
export type Component = "kubelet" | "apiServer" | "controllerManager" | "scheduler" | "proxy" | "etcd";

const LEGACY_COMPONENT: Record<Component, string> = {
  kubelet: "machine.kubelet",
  apiServer: "cluster.apiServer",
  controllerManager: "cluster.controllerManager",
  scheduler: "cluster.scheduler",
  proxy: "cluster.proxy",
  etcd: "cluster.etcd",
};

// What each component is called in messages.
const COMPONENT_NAME: Readonly<Record<Component, string>> = {
  kubelet: "the kubelet",
  apiServer: "the API server",
  controllerManager: "the controller manager",
  scheduler: "the scheduler",
  proxy: "kube-proxy",
  etcd: "etcd",
};

// The 1.14 document of each Kubernetes component (etcd has none); componentImages reports in this key order.
const COMPONENT_KIND: Partial<Record<Component, string>> = {
  kubelet: "KubeletConfig",
  apiServer: "KubeAPIServerConfig",
  controllerManager: "KubeControllerManagerConfig",
  scheduler: "KubeSchedulerConfig",
  proxy: "KubeProxyConfig",
};

// The documents of 1.14 that name an image in their `image` field, and what it is called in messages.
const IMAGE_KINDS: ReadonlyArray<readonly [string, string]> = [
  ...(Object.entries(COMPONENT_KIND) as Array<[Component, string]>).map(([component, kind]) => [kind, COMPONENT_NAME[component]] as const),
  ["KubeCoreDNSConfig", "CoreDNS"],
];

/** What the helpers read of a node: its legacy document and its documents by kind. */
type ConfigView = Pick<RuleContext, "legacy" | "ofKind">;

// A view of nothing but a legacy document, for what is worked out once per document.
const NO_DOCS: Doc[] = [];
function legacyOnly(legacy: Doc): ConfigView {
  return { legacy, ofKind: () => NO_DOCS };
}

// Whether a node has no document of any of `kinds`: what the helpers below find is then all in its
// legacy document, which the nodes of a role share (one Doc object for all of them in a lint run), so
// it is worked out once per run (perRun) rather than once per node and rule.
function legacyAlone(ctx: ConfigView, kinds: readonly string[]): ctx is ConfigView & { legacy: Doc } {
  if (ctx.legacy === undefined) return false;
  for (let i = 0; i < kinds.length; i++) if (ctx.ofKind(kinds[i]).length > 0) return false;
  return true;
}

const COMPONENT_KINDS: readonly string[] = Object.values(COMPONENT_KIND);

/** Where a component's settings live: its legacy section and its 1.14 document, whichever the config has. */
export function componentSections(ctx: ConfigView, component: Component): Array<Found<Record<string, unknown>>> {
  const out: Array<Found<Record<string, unknown>>> = [];
  const legacyPath = LEGACY_COMPONENT[component];
  const legacy = ctx.legacy === undefined ? undefined : at(ctx.legacy.data, legacyPath);
  if (ctx.legacy !== undefined && isMapping(legacy)) out.push({ doc: ctx.legacy, path: legacyPath, value: legacy });
  const kind = COMPONENT_KIND[component];
  if (kind !== undefined) for (const doc of ctx.ofKind(kind)) out.push({ doc, path: "", value: doc.data });
  return out;
}

/** The image each Kubernetes component is set to run (a non-empty string), wherever it is set, with its tag. */
export function componentImages(ctx: ConfigView): ReadonlyArray<Found<string> & { what: string; tag?: string }> {
  if (legacyAlone(ctx, COMPONENT_KINDS)) return perRun(legacyComponentImages, ctx.legacy);
  return findComponentImages(ctx);
}

function legacyComponentImages(legacy: Doc): Array<Found<string> & { what: string; tag?: string }> {
  return findComponentImages(legacyOnly(legacy));
}

function findComponentImages(ctx: ConfigView): Array<Found<string> & { what: string; tag?: string }> {
  const out: Array<Found<string> & { what: string; tag?: string }> = [];
  for (const component of Object.keys(COMPONENT_KIND) as Component[]) {
    for (const section of componentSections(ctx, component)) {
      const image = section.value.image;
      if (typeof image !== "string" || image === "") continue;
      out.push({ doc: section.doc, path: child(section.path, "image"), value: image, what: COMPONENT_NAME[component], tag: parseImage(image).tag });
    }
  }
  return out;
}

/** One command-line flag of a component. */
export interface Arg {
  doc: Doc;
  path: string;
  /** The flag without leading dashes. */
  name: string;
  /** Its values as strings (a flag may be given a list). */
  values: string[];
}

function argValues(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : String(x)));
  if (v === null || v === undefined) return [""];
  return [typeof v === "string" ? v : String(v)];
}

/** The `extraArgs` of a component, wherever they are set. */
export function componentArgs(ctx: ConfigView, component: Component): readonly Arg[] {
  const kind = COMPONENT_KIND[component];
  if (legacyAlone(ctx, kind === undefined ? [] : [kind])) {
    const legacy = ctx.legacy;
    return perRunPair(componentArgs, legacy, component, () => findComponentArgs(legacyOnly(legacy), component));
  }
  return findComponentArgs(ctx, component);
}

function findComponentArgs(ctx: ConfigView, component: Component): Arg[] {
  const out: Arg[] = [];
  for (const section of componentSections(ctx, component)) {
    const args = section.value.extraArgs;
    if (!isMapping(args)) continue;
    const base = child(section.path, "extraArgs");
    for (const [key, value] of Object.entries(args)) {
      out.push({ doc: section.doc, path: child(base, key), name: key.replace(/^-+/, ""), values: argValues(value) });
    }
  }
  return out;
}

/** Whether a flag value means true, as Go's flag parsing reads it. */
export function flagTrue(value: string): boolean {
  return ["1", "t", "true"].includes(value.trim().toLowerCase());
}

/** Whether a flag value means false, as Go's flag parsing reads it. */
export function flagFalse(value: string): boolean {
  return ["0", "f", "false"].includes(value.trim().toLowerCase());
}

/** The parts of an image reference. */
export interface ImageRef {
  /** Everything before the tag and digest. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference into repository, tag and digest. */
export function parseImage(ref: string): ImageRef {
  const trimmed = ref.trim();
  const atSign = trimmed.indexOf("@");
  const digest = atSign < 0 ? undefined : trimmed.slice(atSign + 1);
  const name = atSign < 0 ? trimmed : trimmed.slice(0, atSign);
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > slash) return { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  return { repository: name, digest };
}

/** An image a config runs, and what runs it. */
export interface ImageUse extends Found<string> {
  /** What the image is for, for messages: "the kubelet", "static pod nginx"… */
  what: string;
}

/** The documents of a manifest text as plain values, up to the first that cannot be read; `threw` says whether one could not. */
export interface ParsedManifest {
  values: readonly unknown[];
  threw: boolean;
}

/** Parses the documents of a manifest text (shared by every reader of inline manifests; the values must not be changed). */
export function parseManifest(text: string): ParsedManifest {
  // more than one rule reads inline manifests, and a cluster's nodes share theirs (no other cluster
  // does): each text is parsed once per lint run
  const parsedManifests = runMap<string, ParsedManifest>(parseManifest);
  let hit = parsedManifests.get(text);
  if (hit === undefined) {
    const values: unknown[] = [];
    let threw = false;
    try {
      for (const doc of yaml().parseAllDocuments(text, { uniqueKeys: false })) if (!Array.isArray(doc)) values.push(doc.toJS({ maxAliasCount: 100 }));
    } catch {
      threw = true;
    }
    hit = { values, threw };
    parsedManifests.set(text, hit);
  }
  return hit;
}

// Every value of an `image` key inside containers of parsed manifests.
function manifestImages(text: string): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isMapping(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === "image" && typeof x === "string") out.push(x);
        else visit(x);
      }
    }
  };
  // an unparsable manifest is the validate stage's concern: what was read before the problem is searched
  try {
    for (const value of parseManifest(text).values) visit(value);
  } catch {
    // a value whose aliases make it endless ends the search
  }
  return out;
}

/** A manifest embedded in the config, with its name. */
export interface InlineManifest extends Found<string> {
  name: string;
}

/** The inline manifests: `cluster.inlineManifests` and KubeInlineManifestConfig documents. */
export function inlineManifests(ctx: ConfigView): InlineManifest[] {
  const out: InlineManifest[] = [];
  if (ctx.legacy !== undefined) {
    list(at(ctx.legacy.data, "cluster.inlineManifests")).forEach((m, i) => {
      if (isMapping(m)) out.push({ doc: ctx.legacy!, path: `cluster.inlineManifests[${i}].contents`, name: str(m.name), value: str(m.contents) });
    });
  }
  for (const doc of ctx.ofKind("KubeInlineManifestConfig")) out.push({ doc, path: "manifest", name: str(doc.data.name), value: str(doc.data.manifest) });
  return out;
}

// (a module function, not a closure per call: tsx names each closure it creates)
function addImage(out: ImageUse[], doc: Doc, path: string, value: unknown, what: string): void {
  if (typeof value === "string" && value !== "") out.push({ doc, path, value, what });
}

/** Every container image the config names outside the installer: Kubernetes components, static pods, inline manifests, containers, extensions. */
export function images(ctx: ConfigView): readonly ImageUse[] {
  if (legacyAlone(ctx, IMAGE_DOC_KINDS)) return perRun(legacyImages, ctx.legacy);
  return findImages(ctx);
}

// The kinds of document besides the legacy one that images() reads.
const IMAGE_DOC_KINDS: readonly string[] = [...IMAGE_KINDS.map(([kind]) => kind), "ContainerConfig", "KubeStaticPodConfig", "KubeInlineManifestConfig"];

function legacyImages(legacy: Doc): ImageUse[] {
  return findImages(legacyOnly(legacy));
}

function findImages(ctx: ConfigView): ImageUse[] {
  const out: ImageUse[] = [];
  const legacy = ctx.legacy;
  if (legacy !== undefined) {
    const d = legacy.data;
    for (const [component, section] of Object.entries(LEGACY_COMPONENT) as Array<[Component, string]>) {
      addImage(out, legacy, `${section}.image`, at(d, `${section}.image`), COMPONENT_NAME[component]);
    }
    addImage(out, legacy, "cluster.coreDNS.image", at(d, "cluster.coreDNS.image"), "CoreDNS");
    list(at(d, "machine.pods")).forEach((pod, i) => {
      const name = str(at(pod, "metadata.name")) || `#${i + 1}`;
      for (const field of ["containers", "initContainers"]) {
        list(at(pod, `spec.${field}`)).forEach((c, j) => addImage(out, legacy, `machine.pods[${i}].spec.${field}[${j}].image`, at(c, "image"), `static pod ${name}`));
      }
    });
    list(at(d, "machine.install.extensions")).forEach((e, i) => addImage(out, legacy, `machine.install.extensions[${i}].image`, at(e, "image"), "a system extension"));
  }
  for (const [kind, what] of IMAGE_KINDS) for (const doc of ctx.ofKind(kind)) addImage(out, doc, "image", doc.data.image, what);
  for (const doc of ctx.ofKind("ContainerConfig")) addImage(out, doc, "image", doc.data.image, `container ${str(doc.data.name)}`);
  for (const doc of ctx.ofKind("KubeStaticPodConfig")) {
    for (const field of ["containers", "initContainers"]) {
      list(at(doc.data, `pod.spec.${field}`)).forEach((c, j) => addImage(out, doc, `pod.spec.${field}[${j}].image`, at(c, "image"), `static pod ${str(doc.data.name)}`));
    }
  }
  for (const m of inlineManifests(ctx)) for (const image of manifestImages(m.value)) out.push({ doc: m.doc, path: m.path, value: image, what: `inline manifest ${m.name}` });
  return out;
}

/** The installer images: `machine.install.image` and UnattendedInstallConfig's `installer.image`. */
export function installerImages(ctx: RuleContext): Array<Found<string>> {
  const out: Array<Found<string>> = [];
  const legacy = ctx.legacy === undefined ? undefined : at(ctx.legacy.data, "machine.install.image");
  if (typeof legacy === "string" && legacy !== "") out.push({ doc: ctx.legacy!, path: "machine.install.image", value: legacy });
  for (const doc of ctx.ofKind("UnattendedInstallConfig")) {
    const image = at(doc.data, "installer.image");
    if (typeof image === "string" && image !== "") out.push({ doc, path: "installer.image", value: image });
  }
  return out;
}

/** Kernel arguments: `machine.install.extraKernelArgs` in the config, and the install settings of the definition that apply to the node. */
export function kernelArgs(ctx: RuleContext): ReadonlyArray<Sourced<string>> {
  const fromConfig = ctx.legacy === undefined ? [] : perRun(legacyKernelArgs, ctx.legacy);
  const fromDefinition = definitionKernelArgs(ctx.definition, ctx.role, ctx.node);
  return fromDefinition.length === 0 ? fromConfig : fromConfig.length === 0 ? fromDefinition : [...fromConfig, ...fromDefinition];
}

function legacyKernelArgs(legacy: Doc): Array<Sourced<string>> {
  const out: Array<Sourced<string>> = [];
  list(at(legacy.data, "machine.install.extraKernelArgs")).forEach((a, i) => {
    if (typeof a === "string") out.push({ doc: legacy, path: `machine.install.extraKernelArgs[${i}]`, value: a });
  });
  return out;
}

// The kernel arguments of the definition's install sections for a node: the same for every node of a
// role without install settings of its own, so those are worked out once per lint run.
function definitionKernelArgs(def: ClusterDefinition | undefined, role: Role, node: RuleContext["node"]): ReadonlyArray<Sourced<string>> {
  if (def === undefined) return [];
  if (node !== undefined && isMapping(node.spec.install)) return findDefinitionKernelArgs(def, role, node);
  return perRunPair(definitionKernelArgs, def, role, () => findDefinitionKernelArgs(def, role, undefined));
}

function findDefinitionKernelArgs(def: ClusterDefinition, role: Role, node: RuleContext["node"]): Array<Sourced<string>> {
  const out: Array<Sourced<string>> = [];
  for (const [install, base] of installSections(def, role, node)) {
    for (const field of ["kernelArgs", "extraKernelArgs"]) {
      list(install[field]).forEach((a, i) => {
        if (typeof a === "string") out.push({ definitionPath: `${base}.${field}[${i}]`, value: a });
      });
    }
  }
  return out;
}

/**
 * The install sections of the definition that apply to a node of `role`
 * (and to `node`, when the definition has it), general to specific, with
 * their paths.
 */
export function installSections(def: ClusterDefinition | undefined, role: Role, node: RuleContext["node"]): Array<[Record<string, unknown>, string]> {
  if (def === undefined) return [];
  const out: Array<[Record<string, unknown>, string]> = [];
  if (isMapping(def.install)) out.push([def.install, "install"]);
  const forRole = roleInstall(def, role);
  if (isMapping(forRole)) out.push([forRole, role === "controlplane" ? "controlPlane.install" : "workers.install"]);
  if (node !== undefined && isMapping(node.spec.install)) out.push([node.spec.install, `nodes[${node.index}].install`]);
  return out;
}

/** The remote manifests a control plane fetches: extra manifests, CNI URLs, cloud provider manifests, KubeExternalManifestConfig. */
export function remoteManifests(ctx: RuleContext): Array<Found<string>> {
  const out: Array<Found<string>> = [];
  const legacy = ctx.legacy;
  if (legacy !== undefined) {
    for (const path of ["cluster.extraManifests", "cluster.network.cni.urls", "cluster.externalCloudProvider.manifests"]) {
      list(at(legacy.data, path)).forEach((u, i) => {
        if (typeof u === "string") out.push({ doc: legacy, path: `${path}[${i}]`, value: u });
      });
    }
  }
  for (const doc of ctx.ofKind("KubeExternalManifestConfig")) {
    if (typeof doc.data.url === "string") out.push({ doc, path: "url", value: doc.data.url });
  }
  return out;
}
