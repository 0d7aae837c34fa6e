// ContainerConfig (1.14) runs a container on the host outside Kubernetes. Talos checks its name,
// that its image is a reference it can pull (as go-containerregistry's name.ParseReference reads
// one), its environment, mounts, security profile and capabilities, network mode, resource limits
// and dependencies. Its warning about images not pinned by digest is not reported.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { parseByteSize, parseGoURL } from "../../talos/typed.ts";
import { goURLOptions } from "../../talos/contract.ts";
import { child, isMapping, list, mapping, quote, str, type Mapping } from "../../value.ts";

type Problems = Array<[string, string]>;

// --- image references, as go-containerregistry reads them without strict validation

const TAG = /^[A-Za-z0-9_.-]{1,128}$/;
const REPOSITORY_CHARS = /^[a-z0-9_\-./]*$/;

/** Why a repository (with its optional registry) cannot be read, or undefined. */
function repositoryProblem(name: string): string | undefined {
  if (name === "") return "names no repository";
  const slash = name.indexOf("/");
  const first = slash < 0 ? name : name.slice(0, slash);
  // the first part is a registry when it is localhost or holds a . or a :
  const registry = slash >= 0 && (first === "localhost" || /[.:]/.test(first)) ? first : "";
  const repo = registry === "" ? name : name.slice(slash + 1);
  const length = [...repo].length;
  if (length < 2 || length > 255) return `has repository ${quote(repo)}, which is not 2 to 255 characters long`;
  if (!REPOSITORY_CHARS.test(repo)) return `has repository ${quote(repo)}, which may hold only lowercase letters, digits and _ - . /`;
  if (registry !== "") {
    // the registry must read back whole as a URL authority
    // (no scheme: every release reads its colons alike)
    const url = parseGoURL(`//${registry}`, goURLOptions());
    if (typeof url === "string" || url.host !== registry || registry.includes("%")) return `has registry ${quote(registry)}, which is not a valid host[:port]`;
  }
  return undefined;
}

/** Why a tagged reference (name[:tag]) cannot be read, or undefined. */
function tagProblem(ref: string): string | undefined {
  const parts = ref.split(":");
  let base = ref;
  if (parts.length > 1 && !parts[parts.length - 1].includes("/")) {
    const tag = parts[parts.length - 1];
    if (tag === "") return "has a colon without a tag after it";
    if (!TAG.test(tag)) return `has tag ${quote(tag)}, which is not 1 to 128 letters, digits, _ . and -`;
    base = parts.slice(0, -1).join(":");
  }
  return repositoryProblem(base);
}

/** Why an image reference (name[:tag] or name[:tag]@sha256:digest) cannot be read, or undefined. */
function imageReferenceProblem(ref: string): string | undefined {
  const asTag = tagProblem(ref);
  if (asTag === undefined) return undefined;
  const parts = ref.split("@");
  if (parts.length !== 2) return asTag;
  const [base, digest] = parts;
  if (!digest.startsWith("sha256:")) return `has digest ${quote(digest)}; expected sha256: and 64 hex digits`;
  if (!/^[a-f0-9]{64}$/.test(digest.slice("sha256:".length))) return `has digest ${quote(digest)}, which is not sha256: and 64 lowercase hex digits`;
  // a tag before the digest is dropped; the repository must still read
  const tagged = tagProblem(base);
  const repository = tagged === undefined ? base.replace(/:[^:/]*$/, "") : base;
  return repositoryProblem(repository);
}

// --- the rest of the document

const MOUNT_OPTIONS = ["ro", "rw", "noexec", "nosuid", "nodev", "noatime", "rbind", "rshared"];
const NETWORK_CONDITIONS = ["addresses", "connectivity", "hostname", "etcfiles"];

function absPath(path: string, value: string, what: string, problems: Problems): void {
  if (value === "") problems.push([path, `is required: ${what}, an absolute path`]);
  else if (!value.startsWith("/")) problems.push([path, `${quote(value)} is not an absolute path; expected ${what} such as /var/lib/app`]);
}

function mountProblems(data: Mapping, problems: Problems): void {
  const destinations = new Set<string>();
  list(data.mounts).forEach((m, i) => {
    const base = child("mounts", i);
    const mount = mapping(m) ?? {};
    const kinds = (["userVolume", "tmpfs", "hostPath"] as const).filter((k) => isMapping(mount[k]));
    if (kinds.length !== 1) return void problems.push([base, `${kinds.length === 0 ? "sets none" : `sets ${kinds.join(" and ")}`}; expected exactly one of userVolume, tmpfs or hostPath`]);
    const kind = kinds[0];
    const spec = mount[kind] as Mapping;
    const before = problems.length;
    if (kind === "userVolume" && str(spec.name) === "") problems.push([`${base}.userVolume.name`, "is required: the user volume to mount, as named by its UserVolumeConfig"]);
    if (kind === "hostPath") absPath(`${base}.hostPath.source`, str(spec.source), "the host directory to mount", problems);
    absPath(`${base}.${kind}.destination`, str(spec.destination), "where the mount appears in the container", problems);
    const options = list(spec.options).map(str);
    for (const o of options) if (!MOUNT_OPTIONS.includes(o)) problems.push([`${base}.${kind}.options`, `${quote(o)} is not a mount option talos supports; expected ${MOUNT_OPTIONS.join(", ")}`]);
    if (options.includes("ro") && options.includes("rw")) problems.push([`${base}.${kind}.options`, "cannot hold both ro and rw; choose one"]);
    // a mount with problems is not compared with the others
    if (problems.length > before) return;
    const destination = str(spec.destination);
    if (destinations.has(destination)) problems.push([`${base}.${kind}.destination`, `${quote(destination)} is already the destination of another mount; each mount needs its own`]);
    destinations.add(destination);
  });
}

function capabilityProblem(name: string): string | undefined {
  if (name === "") return "is empty; expected a capability name such as NET_ADMIN";
  if (name.startsWith("CAP_")) return `${quote(name)} has the CAP_ prefix; write it without, such as ${name.slice(4) || "NET_ADMIN"}`;
  if (!/^[A-Z_]+$/.test(name)) return `${quote(name)} is not valid; expected upper case letters and underscores, such as NET_ADMIN`;
  return undefined;
}

function securityProblems(security: Mapping, problems: Problems): void {
  const profile = str(security.profile);
  if (profile !== "" && profile !== "restricted" && profile !== "privileged") problems.push(["security.profile", `${quote(profile)} is not a profile talos supports; expected restricted or privileged`]);
  const capabilities = mapping(security.capabilities);
  if (capabilities === undefined) return;
  const add = list(capabilities.add).map(str);
  const drop = list(capabilities.drop).map(str);
  add.forEach((c, i) => {
    const path = child("security.capabilities.add", i);
    if (c === "ALL") problems.push([path, "cannot be ALL; use profile: privileged for every capability"]);
    else {
      const problem = capabilityProblem(c);
      if (problem !== undefined) problems.push([path, problem]);
    }
  });
  drop.forEach((c, i) => {
    const problem = c === "ALL" ? undefined : capabilityProblem(c);
    if (problem !== undefined) problems.push([child("security.capabilities.drop", i), problem]);
  });
  add.forEach((c, i) => {
    if (drop.includes(c)) problems.push([child("security.capabilities.add", i), `${quote(c)} is also in drop; keep it in one list`]);
  });
}

function judge(data: Mapping): Problems {
  const problems: Problems = [];
  const name = str(data.name);
  if (name === "") problems.push(["name", "is required: lowercase letters, digits and hyphens, such as my-agent"]);
  else if (name.length > 63) problems.push(["name", `${quote(name)} is ${name.length} characters long; a container name has at most 63`]);
  else if (!/^[a-z0-9-]+$/.test(name)) problems.push(["name", `${quote(name)} is not valid; expected only lowercase letters, digits and hyphens, such as my-agent`]);

  const image = str(data.image);
  if (image === "") problems.push(["image", "is required: the image to run, such as ghcr.io/example/agent:v1.0.0"]);
  else {
    const problem = imageReferenceProblem(image);
    if (problem !== undefined) problems.push(["image", `${quote(image)} ${problem}; expected an image reference such as ghcr.io/example/agent:v1.0.0`]);
  }

  list(data.environment).forEach((e, i) => {
    if (!str(e).includes("=")) problems.push([child("environment", i), `${quote(e)} is not KEY=value; expected such as LOG_LEVEL=debug`]);
  });
  mountProblems(data, problems);
  const security = mapping(data.security);
  if (security !== undefined) securityProblems(security, problems);
  const network = mapping(data.network);
  const mode = str(network?.mode);
  if (network !== undefined && mode !== "" && mode !== "none" && mode !== "host") problems.push(["network.mode", `${quote(mode)} is not a network mode talos supports; expected none or host`]);

  const limits = mapping(mapping(data.resources)?.limits);
  const memory = str(limits?.memory);
  if (memory !== "" && parseByteSize(memory) === undefined) problems.push(["resources.limits.memory", `${quote(memory)} is not a size; expected such as 512MiB`]);
  const cpu = str(limits?.cpu);
  if (cpu !== "") {
    const digits = cpu.endsWith("m") ? cpu.slice(0, -1) : undefined;
    if (digits === undefined) problems.push(["resources.limits.cpu", `${quote(cpu)} is not in millicores; expected such as 1500m`]);
    else if (!/^[0-9]+$/.test(digits) || BigInt(digits) > 2n ** 64n - 1n) problems.push(["resources.limits.cpu", `${quote(cpu)} is not a whole number of millicores; expected such as 1500m`]);
    else if (BigInt(digits) === 0n) problems.push(["resources.limits.cpu", `${quote(cpu)} is zero; expected more than 0 millicores, such as 1500m`]);
  }

  const dependsOn = mapping(data.dependsOn);
  if (dependsOn !== undefined) {
    list(dependsOn.paths).forEach((p, i) => absPath(child("dependsOn.paths", i), str(p), "a path to wait for", problems));
    list(dependsOn.networks).forEach((n, i) => {
      if (!NETWORK_CONDITIONS.includes(str(n))) problems.push([child("dependsOn.networks", i), `${quote(n)} is not a network condition; expected ${NETWORK_CONDITIONS.join(", ")}`]);
    });
    list(dependsOn.containers).forEach((c, i) => {
      const path = child("dependsOn.containers", i);
      if (str(c) === "") problems.push([path, "is empty; expected the name of another ContainerConfig"]);
      else if (c === name) problems.push([path, `${quote(c)} is this container; a container cannot depend on itself`]);
    });
  }

  const runAs = mapping(data.runAs);
  for (const id of ["uid", "gid"] as const) {
    const v = runAs?.[id];
    if (typeof v === "number" && v < 0) problems.push([`runAs.${id}`, `${v} is negative; expected a ${id === "uid" ? "user" : "group"} id of 0 or more`]);
  }
  return problems;
}

/** ContainerConfig has a valid name and image, and valid environment, mounts, security, network, limits, dependencies and ids. */
export const docContainer: Check = documentCheck({
  id: "doc-container",
  summary: "a ContainerConfig has a lowercase name and an image reference talos can read, KEY=value environment, one kind per mount with absolute paths, supported options and unique destinations, a supported profile, capabilities, network mode, limits and dependencies, and non-negative ids",
  kind: "ContainerConfig",
  judge,
});
