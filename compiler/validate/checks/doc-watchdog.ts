// WatchdogTimerConfig arms a hardware watchdog: it names the device, and a
// timeout too short would reset a healthy machine.

import type { Check } from "../types.ts";
import { documentCheck } from "./judged.ts";
import { parseGoDuration } from "../../talos/typed.ts";
import { quote, str, type Mapping } from "../../value.ts";

/** The shortest watchdog timeout Talos accepts, in nanoseconds (10s). */
const MIN_TIMEOUT_NS = 10_000_000_000n;

function judge(data: Mapping): Array<[string, string]> {
  // Talos stops at a missing device
  if (str(data.device) === "") return [["device", "is required: the watchdog device, such as /dev/watchdog0"]];
  const timeout = str(data.timeout);
  const ns = timeout === "" ? 0n : parseGoDuration(timeout);
  if (ns !== undefined && ns !== 0n && ns < MIN_TIMEOUT_NS) return [["timeout", `${quote(timeout)} is too short; the watchdog timeout is at least 10s (or left out for the default)`]];
  return [];
}

/** WatchdogTimerConfig has a device and a timeout of at least 10s. */
export const docWatchdog: Check = documentCheck({
  id: "doc-watchdog",
  summary: "a WatchdogTimerConfig names its device, and its timeout is at least 10s",
  kind: "WatchdogTimerConfig",
  judge,
});
