// The generated types per Talos version: a field or document a version does
// not have is a type error against that version's types (each
// `@ts-expect-error` below is checked by `tsc --noEmit`), and what the types
// accept the validator accepts too.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { TalosDocumentFor, TalosDocumentKindFor, TalosDocumentsFor } from "../compiler/talos/types/index.ts";
import type { TalosDocuments as Docs12 } from "../compiler/talos/types/v1_12.ts";
import type { TalosDocument as Doc14, TalosDocuments as Docs14 } from "../compiler/talos/types/v1_14.ts";
import type { ConfigDocument } from "../compiler/load/config.ts";
import { validateDocuments } from "../compiler/validate/index.ts";

const resolver14: Docs14["ResolverConfig"] = {
  apiVersion: "v1alpha1",
  kind: "ResolverConfig",
  hostDNS: { enabled: true, forwardKubeDNSToHost: true },
};

const resolver12: Docs12["ResolverConfig"] = {
  apiVersion: "v1alpha1",
  kind: "ResolverConfig",
  // @ts-expect-error ResolverConfig.hostDNS exists from Talos 1.14
  hostDNS: { enabled: true },
};

// @ts-expect-error UnattendedInstallConfig is a Talos 1.14 document
type Install12 = Docs12["UnattendedInstallConfig"];

// @ts-expect-error the kind is spelled out in full
const wrongKind: Docs14["UnattendedInstallConfig"] = { apiVersion: "v1alpha1", kind: "UnattendedInstall" };

const install14: TalosDocumentsFor<"1.14">["UnattendedInstallConfig"] = {
  apiVersion: "v1alpha1",
  kind: "UnattendedInstallConfig",
  provisioning: { diskSelector: { match: 'disk.dev_path == "/dev/sda"' } },
};

// deprecated fields are still typed: Talos still accepts them
const legacy12: Docs12["v1alpha1"] = {
  version: "v1alpha1",
  persist: true,
  machine: {
    type: "worker",
    ca: { crt: "LS0t" },
    install: { disk: "/dev/sda", extraKernelArgs: ["console=ttyS0"], grubUseUKICmdline: false },
    network: { hostname: "w-1", interfaces: [{ interface: "eth0", addresses: ["10.0.0.5/24"] }] },
    time: { servers: ["time.cloudflare.com"] },
  },
  cluster: { controlPlane: { endpoint: "https://10.0.0.1:6443" } },
};

const typo: Docs12["v1alpha1"] = {
  version: "v1alpha1",
  // @ts-expect-error a misspelled field is a compile error
  machine: { tpye: "worker" },
};

// @ts-expect-error machine types are controlplane and worker
const badType: Docs14["v1alpha1"] = { machine: { type: "master" } };

const kind: TalosDocumentKindFor<"1.13"> = "KubeSpanConfig";
// @ts-expect-error KubeSpanConfig is a document from Talos 1.13
const kind12: TalosDocumentKindFor<"1.12"> = "KubeSpanConfig";

const any14: TalosDocumentFor<"1.14"> = install14;
const union14: Doc14 = resolver14;

// typed documents are interfaces, which TypeScript does not treat as string-keyed records
const asConfig = (...docs: object[]): ConfigDocument[] => docs as ConfigDocument[];

void [resolver12, wrongKind, legacy12, typo, badType, kind, kind12, any14, union14, null as unknown as Install12];

test("what the types accept, the validator accepts", () => {
  assert.deepEqual(validateDocuments(asConfig(resolver14, install14), { contract: "1.14", mode: "cloud" }), []);
  const problems = validateDocuments(asConfig(legacy12), { contract: "1.12", mode: "metal" });
  assert.deepEqual(problems, []);
});

test("what the types refuse for a version, the validator refuses for it", () => {
  assert.deepEqual(validateDocuments(asConfig(resolver12), { contract: "1.12", mode: "cloud" }), [
    { document: "ResolverConfig", path: "hostDNS", message: 'unknown field "hostDNS" in talos 1.12; it exists in talos 1.14' },
  ]);
  assert.deepEqual(validateDocuments(asConfig(install14), { contract: "1.12", mode: "cloud" }), [
    { document: "UnattendedInstallConfig", path: "kind", message: 'document kind "UnattendedInstallConfig" does not exist in talos 1.12; it exists in talos 1.14' },
  ]);
});
