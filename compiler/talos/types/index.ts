// The typed surface of Talos's documents per version contract. The modules
// v1_12.ts, v1_13.ts and v1_14.ts are generated from schemas/talos/ by
// scripts/schemas.ts; this file only picks one by contract.

import type { Contract } from "../contract.ts";
import type { TalosDocuments as TalosDocuments1_12 } from "./v1_12.ts";
import type { TalosDocuments as TalosDocuments1_13 } from "./v1_13.ts";
import type { TalosDocuments as TalosDocuments1_14 } from "./v1_14.ts";

export type * as V1_12 from "./v1_12.ts";
export type * as V1_13 from "./v1_13.ts";
export type * as V1_14 from "./v1_14.ts";

interface ByContract {
  "1.12": TalosDocuments1_12;
  "1.13": TalosDocuments1_13;
  "1.14": TalosDocuments1_14;
}

/** The documents of a contract, keyed by kind (the legacy document as "v1alpha1"). */
export type TalosDocumentsFor<C extends Contract> = ByContract[C];

/** The document kinds of a contract. */
export type TalosDocumentKindFor<C extends Contract> = keyof TalosDocumentsFor<C>;

/** Any one document of a contract. */
export type TalosDocumentFor<C extends Contract> = TalosDocumentsFor<C>[TalosDocumentKindFor<C>];
