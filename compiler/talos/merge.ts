// How Talos merges the types that do not merge by its general rules, as
// data. Talos's merge (pkg/machinery/config/merge) walks Go values by
// reflection: structs field by field, maps key by key, lists appended,
// scalars overridden unless the patch's value is zero (booleans always).
// A type with a Merge method replaces that walk, and a few types cannot be
// walked at all. Each entry below says, for one Go type, what its Merge
// method (or the walk over its Go fields) amounts to. The merge engine in
// compiler/patch reads nothing else about specific types.

/** How a keyed list finds the existing element a patch element goes into (a key held by pointer is compared by value). */
export interface KeyCriterion {
  /** The YAML key of the element field compared. */
  field: string;
  /**
   * "always": compare even when the patch element leaves the field zero
   * (two zero keys match); "set": this criterion applies only when the
   * patch element sets the field, otherwise the next one is tried.
   */
  when: "always" | "set";
}

/** A merge rule for one Go type. */
export type MergeRule =
  /**
   * A list merged element by element: a patch element that matches an
   * existing one by key is merged into it ("merge") or replaces it
   * ("replace"); otherwise it is appended. "current" looks the key up in
   * the list as it grows (so two patch elements with one key merge
   * together); "original" only in the list before the patch (later
   * duplicates win).
   */
  | { rule: "keyed"; keys: readonly KeyCriterion[]; onMatch: "merge" | "replace"; lookup: "current" | "original" }
  /** A map whose patch entries replace the existing entries key by key, values included. */
  | { rule: "perKey" }
  /** Always takes the patch's value, even an empty one: an unset field in a patched struct clears it. */
  | { rule: "always" }
  /** Takes the patch's value unless that is empty. */
  | { rule: "nonzero" }
  /** A URL merged part by part: scheme, host, path, query and fragment each taken from the patch unless empty. */
  | { rule: "url" }
  /** block.Size: a byte size and a percentage held side by side; the byte size is what gets written. */
  | { rule: "size" }
  /** Replaced as a whole whenever the patch has it. */
  | { rule: "whole" }
  /** Go's merge cannot set its unexported fields: patching it when both sides have one fails. */
  | { rule: "fails"; reason: string };

const KEEP_LAST = { onMatch: "merge", lookup: "current" } as const;

/** Merge rules by Go type name (as in fields.json). */
export const MERGE_RULES: Readonly<Record<string, MergeRule>> = {
  // machine.network.interfaces: by interface name when the patch names one, else by an equal device selector
  "v1alpha1.NetworkDeviceList": {
    rule: "keyed",
    keys: [
      { field: "interface", when: "set" },
      { field: "deviceSelector", when: "set" },
    ],
    ...KEEP_LAST,
  },
  // an interface's vlans: by VLAN id
  "v1alpha1.VlanList": { rule: "keyed", keys: [{ field: "vlanId", when: "always" }], ...KEEP_LAST },
  // cluster.apiServer.admissionControl: by plugin name
  "v1alpha1.AdmissionPluginConfigList": { rule: "keyed", keys: [{ field: "name", when: "always" }], ...KEEP_LAST },
  // ExtensionServiceConfig.configFiles: by mount path
  "extensions.ConfigFileList": { rule: "keyed", keys: [{ field: "mountPath", when: "always" }], ...KEEP_LAST },
  // ImageVerificationConfig.rules: a rule with the same image pattern is replaced, not merged
  "security.ImageVerificationRules": { rule: "keyed", keys: [{ field: "image", when: "always" }], onMatch: "replace", lookup: "original" },
  // extraArgs (1.13+): each argument the patch names replaces the existing one
  "v1alpha1.Args": { rule: "perKey" },
  "meta.Args": { rule: "perKey" },
  // Merge methods that copy the patch's value unconditionally
  "block.ByteSize": { rule: "always" },
  "block.PercentageSize": { rule: "always" },
  "cel.Expression": { rule: "always" },
  // Merge methods that keep the existing address unless the patch has one
  "meta.Prefix": { rule: "nonzero" },
  "meta.Addr": { rule: "nonzero" },
  "meta.AddrPort": { rule: "nonzero" },
  // a *url.URL inside: Go walks url.URL's fields
  "v1alpha1.Endpoint": { rule: "url" },
  "meta.URL": { rule: "url" },
  // two pointers, each merged on its own
  "block.Size": { rule: "size" },
  // certificates and keys: every part is a byte slice, which Go replaces
  "x509.PEMEncodedCertificateAndKey": { rule: "whole" },
  "x509.PEMEncodedCertificate": { rule: "whole" },
  "x509.PEMEncodedKey": { rule: "whole" },
  // only ever copied whole inside Args
  "meta.ArgValue": { rule: "whole" },
  "v1alpha1.ArgValue": { rule: "whole" },
  // a port or a range, Lo and Hi; only found in lists that are replaced, never merged on their own
  "network.PortRange": { rule: "nonzero" },
  // structs with unexported fields and no Merge method
  "v1alpha1.InstallDiskSizeMatcher": { rule: "fails", reason: "a disk size matcher cannot be merged into another one; delete it first with $patch: delete" },
  "netip.Prefix": { rule: "fails", reason: "Go cannot merge one network prefix into another" },
  "netip.Addr": { rule: "fails", reason: "Go cannot merge one address into another" },
  "netip.AddrPort": { rule: "fails", reason: "Go cannot merge one address into another" },
  // 1.12 and 1.13 wrappers, before meta.* had Merge methods
  "network.Prefix": { rule: "fails", reason: "Go cannot merge one network prefix into another" },
  "network.Addr": { rule: "fails", reason: "Go cannot merge one address into another" },
  "network.AddrPort": { rule: "fails", reason: "Go cannot merge one address into another" },
};

/** The merge rule of a Go type name, when it has one of its own. */
export function mergeRule(typeName: string | undefined): MergeRule | undefined {
  return typeName !== undefined && Object.hasOwn(MERGE_RULES, typeName) ? MERGE_RULES[typeName] : undefined;
}
