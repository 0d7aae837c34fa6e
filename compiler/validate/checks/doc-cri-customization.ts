// CRICustomizationConfig (1.14) adds a containerd configuration part, named by the document:
// the name is a Kubernetes-style qualified name ([prefix/]name), and "customization" is kept for
// the part Talos writes from the legacy machine.files.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { qualifiedNameProblem } from "../labels.ts";
import { quote, str, type Mapping } from "../../value.ts";

/** The name Talos gives the part made from the v1alpha1 document. */
const LEGACY_NAME = "customization";

function judge(data: Mapping): Array<[string, string]> {
  const name = str(data.name);
  if (name === "") return [["name", "is required: a qualified name such as example.com/registry-tweaks"]];
  const problems: Array<[string, string]> = [];
  const invalid = qualifiedNameProblem(name);
  if (invalid !== undefined) problems.push(["name", `${invalid.replace(/^key /, "")}; expected a qualified name such as example.com/registry-tweaks`]);
  if (name === LEGACY_NAME) problems.push(["name", `${quote(name)} is reserved for the customization talos makes from the v1alpha1 document; choose another name`]);
  return problems;
}

/** CRICustomizationConfig is named by an unreserved qualified name. */
export const docCRICustomization: Check = documentCheck({
  id: "doc-cri-customization",
  summary: "a CRICustomizationConfig is named by a qualified name ([prefix/]name), not customization",
  kind: "CRICustomizationConfig",
  judge,
});
