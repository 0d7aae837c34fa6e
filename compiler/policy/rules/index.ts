// The rule registry: every rule, listed explicitly in the order reports and
// `talc rules` show them (by topic: shell and remote access, pinned versions,
// secrets, hardening). test/policy-rules.test.ts checks that every file in this
// folder is listed here.

import type { Rule } from "../types.ts";
import apiserverSecureArgs from "./apiserver-secure-args.ts";
import auditPolicyPresent from "./audit-policy-present.ts";
import controlPlaneImageVersion from "./control-plane-image-version.ts";
import controllerManagerSecureArgs from "./controller-manager-secure-args.ts";
import deprecatedExtension from "./deprecated-extension.ts";
import etcdSecureArgs from "./etcd-secure-args.ts";
import exactVersions from "./exact-versions.ts";
import installerImagePinned from "./installer-image-pinned.ts";
import kernelArgsHardening from "./kernel-args-hardening.ts";
import kubeletSecureArgs from "./kubelet-secure-args.ts";
import kubernetesVersionSupported from "./kubernetes-version-supported.ts";
import kubespanNeedsDiscovery from "./kubespan-needs-discovery.ts";
import noControlPlaneScheduling from "./no-control-plane-scheduling.ts";
import noDebugExtension from "./no-debug-extension.ts";
import noDebugMode from "./no-debug-mode.ts";
import noExtensionSsh from "./no-extension-ssh.ts";
import noInsecureConfigUrl from "./no-insecure-config-url.ts";
import noInstallExtensionsField from "./no-install-extensions-field.ts";
import noLegacyInstallerRegistry from "./no-legacy-installer-registry.ts";
import noMutableImageTag from "./no-mutable-image-tag.ts";
import noPlaintextSecrets from "./no-plaintext-secrets.ts";
import noRemoteAccessExtension from "./no-remote-access-extension.ts";
import noSecretManifest from "./no-secret-manifest.ts";
import officialExtension from "./official-extension.ts";
import podSecurityBaseline from "./pod-security-baseline.ts";
import registryTlsVerify from "./registry-tls-verify.ts";
import remoteManifestPinned from "./remote-manifest-pinned.ts";
import schedulerSecureArgs from "./scheduler-secure-args.ts";
import talosApiAccessNoAdmin from "./talos-api-access-no-admin.ts";
import volumeEncryption from "./volume-encryption.ts";

/** Every rule, in reporting order. */
export const RULES: readonly Rule[] = [
  noExtensionSsh,
  noRemoteAccessExtension,
  noDebugExtension,
  noInstallExtensionsField,
  officialExtension,
  deprecatedExtension,
  exactVersions,
  installerImagePinned,
  noMutableImageTag,
  controlPlaneImageVersion,
  kubernetesVersionSupported,
  noLegacyInstallerRegistry,
  remoteManifestPinned,
  noPlaintextSecrets,
  noSecretManifest,
  noInsecureConfigUrl,
  kubeletSecureArgs,
  apiserverSecureArgs,
  controllerManagerSecureArgs,
  schedulerSecureArgs,
  etcdSecureArgs,
  podSecurityBaseline,
  auditPolicyPresent,
  talosApiAccessNoAdmin,
  kernelArgsHardening,
  registryTlsVerify,
  kubespanNeedsDiscovery,
  volumeEncryption,
  noControlPlaneScheduling,
  noDebugMode,
];
