// The vocabulary of validation: problems, modes and checks.

import type { Contract, ContractGates } from "../talos/contract.ts";

/** How the machine runs, as `talosctl validate --mode` takes it: only metal installs to a disk, only container runs in one. */
export type ValidationMode = "metal" | "cloud" | "container";

/** The modes, in the order help texts list them. */
export const VALIDATION_MODES: readonly ValidationMode[] = ["metal", "cloud", "container"];

/** What validateDocuments needs besides the documents. */
export interface ValidateOptions {
  contract: Contract;
  mode: ValidationMode;
}

/** One thing wrong with a config. */
export interface ValidationProblem {
  /** The document: "v1alpha1", a kind ("KubeletConfig"), or kind/name ("LinkConfig/eth0"). */
  document: string;
  /** The config path inside the document, such as machine.install.disk; "" for the whole document. */
  path: string;
  /** Lowercase; names the offending value and says what would be valid. */
  message: string;
}

/** One document of the config under validation. */
export interface Doc {
  /** Position in the config, from 0. */
  index: number;
  /** "v1alpha1" for the legacy document, else its kind. */
  kind: string;
  /** The document's `name`, for named documents. */
  name?: string;
  /** How problems name the document. */
  label: string;
  data: Record<string, unknown>;
}

/** The machine type as Talos reads `machine.type` ("" and "join" are workers). */
export type MachineType = "controlplane" | "init" | "worker";

/** What every check sees. */
export interface CheckContext {
  contract: Contract;
  gates: ContractGates;
  mode: ValidationMode;
  docs: readonly Doc[];
  /** The v1alpha1 document, when the config has one. */
  legacy?: Doc;
  /** The machine type, when the v1alpha1 document names a known one. */
  machineType?: MachineType;
  /** Whether the machine is a control plane node (controlplane or init). */
  controlPlane: boolean;
  /** The documents of a kind, in config order. */
  ofKind(kind: string): Doc[];
}

/** Reports a problem found by a check. */
export type Report = (doc: Doc | string, path: string, message: string) => void;

/** A rule of Talos's own validation, beyond the schema. */
export interface Check {
  /** Stable kebab-case id. */
  id: string;
  /** One line: what Talos requires. */
  summary: string;
  run(ctx: CheckContext, report: Report): void;
}
