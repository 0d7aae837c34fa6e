// Where Talos installs itself. In metal mode the v1alpha1 install section
// must pick a disk (until 1.14 it must exist; from 1.14 it may give way to
// UnattendedInstallConfig) with a disk selector of a known disk type, and an
// UnattendedInstallConfig always needs a disk selector.

import type { Check } from "../types.ts";
import { at, isSet, isTrue, isZero, list, mapping, quote, str } from "../../value.ts";

/** The disk types a v1alpha1 disk selector takes, as written: Talos reads them only in metal mode. */
const DISK_TYPES = ["ssd", "hdd", "nvme", "sd"];

/** The install disk is chosen, and kernel arguments are not combined with the UKI command line. */
export const installDisk: Check = {
  id: "install-disk",
  summary: "in metal mode machine.install picks a disk, by a known disk type if by type; an UnattendedInstallConfig has a disk selector",
  run(ctx, report) {
    const legacy = ctx.legacy;
    if (legacy !== undefined && isSet(legacy.data.machine) && ctx.mode === "metal") {
      const install = mapping(at(legacy.data, "machine.install"));
      if (install === undefined) {
        if (!ctx.gates.unattendedInstall) report(legacy, "machine.install", "is required in metal mode: set machine.install.disk, such as /dev/sda, or machine.install.diskSelector");
      } else {
        if (str(install.disk) === "" && isZero(install.diskSelector)) {
          report(legacy, "machine.install.disk", "is required in metal mode unless machine.install.diskSelector is set: the disk to install to, such as /dev/sda");
        }
        const type = at(install, "diskSelector.type");
        if (typeof type === "string" && type !== "" && !DISK_TYPES.includes(type)) {
          report(legacy, "machine.install.diskSelector.type", `${quote(type)} is not a disk type talos knows; expected ssd, hdd, nvme or sd`);
        }
        if (list(install.extraKernelArgs).length > 0 && isTrue(install.grubUseUKICmdline)) {
          report(legacy, "machine.install.extraKernelArgs", "cannot be used with grubUseUKICmdline: true; set grubUseUKICmdline: false to pass extra kernel arguments");
        }
      }
    }
    for (const doc of ctx.ofKind("UnattendedInstallConfig")) {
      if (str(at(doc.data, "provisioning.diskSelector.match")) === "") {
        report(doc, "provisioning.diskSelector.match", 'is required: an expression choosing the install disk, such as disk.dev_path == "/dev/sda"');
      }
    }
  },
};
