// Address parsing as the Go functions Talos calls read addresses: the table
// below is what Go's netip.ParseAddr, netip.ParsePrefix, net.ParseIP,
// net.ParseCIDR and siderolabs/net's ParseSubnetOrAddress answered for each
// input (run with Go), and talc's functions must answer the same.

import assert from "node:assert/strict";
import { test } from "node:test";
import { goURLOptions } from "../compiler/talos/contract.ts";
import { goQueryPairs, goURLPath, parseGoURL } from "../compiler/talos/typed.ts";
import { isAddr, isCIDR, isIPAddress, isSubnetOrAddress, isUnspecified } from "../compiler/validate/net.ts";

// input, netip.ParseAddr, netip.ParsePrefix, net.ParseIP, net.ParseCIDR, ParseSubnetOrAddress
const GO: Array<[string, boolean, boolean, boolean, boolean, boolean]> = [
  ["10.0.0.1", true, false, true, false, true],
  ["10.0.0.0/8", false, true, false, true, true],
  ["fe80::1", true, false, true, false, true],
  ["FE80::1", true, false, true, false, true],
  ["fe80::/10", false, true, false, true, true],
  ["FE80::/10", false, true, false, true, true],
  ["fe80::1%eth0", true, false, false, false, true],
  ["FE80::1%Eth0", true, false, false, false, true],
  ["fe80::1%eth0/64", true, false, false, false, true],
  ["fe80::1%a/b%c", true, false, false, false, true],
  ["fe80::1%", false, false, false, false, false],
  ["fe80::/10%eth0", false, false, false, false, false],
  ["10.0.0.1%eth0", false, false, false, false, false],
  ["::ffff:10.0.0.1%eth0", true, false, false, false, true],
  ["%eth0", false, false, false, false, false],
  ["::%eth0", true, false, false, false, true],
  ["fe80::1%25eth0", true, false, false, false, true],
  ["[fe80::1]", false, false, false, false, false],
  ["10.0.0.0/33", false, false, false, false, false],
  ["::/129", false, false, false, false, false],
  ["10.0.0.1/32", false, true, false, true, true],
  ["1.2.3", false, false, false, false, false],
  ["", false, false, false, false, false],
  ["fe80::1 %eth0", false, false, false, false, false],
];

test("each parser accepts what its Go counterpart accepts", () => {
  for (const [s, addr, prefix, ip, cidr, subnetOrAddress] of GO) {
    assert.equal(isAddr(s), addr, `netip.ParseAddr(${JSON.stringify(s)})`);
    assert.equal(isCIDR(s), prefix, `netip.ParsePrefix(${JSON.stringify(s)})`);
    assert.equal(isCIDR(s), cidr, `net.ParseCIDR(${JSON.stringify(s)})`);
    assert.equal(isIPAddress(s), ip, `net.ParseIP(${JSON.stringify(s)})`);
    assert.equal(isSubnetOrAddress(s), subnetOrAddress, `ParseSubnetOrAddress(${JSON.stringify(s)})`);
  }
});

test("a zoned address is not the unspecified one, as netip compares them", () => {
  assert.equal(isUnspecified("::"), true);
  assert.equal(isUnspecified("::%eth0"), false);
});

test("a URL's path and query are read as Go's URL.Path and URL.Query read them", () => {
  const url = parseGoURL("https://x/a%2Fb/%6Dain?a+b=c%2Bd&k;x=1&bad=%zz&=v", goURLOptions("1.14"));
  assert.ok(typeof url !== "string", String(url));
  assert.equal(goURLPath(url), "/a/b/main");
  // "+" is a space, a pair with a semicolon or a bad escape is left out, an empty key is kept
  assert.deepEqual(goQueryPairs(url.rawQuery), [["a b", "c+d"], ["", "v"]]);
  // with another separator, as a server splitting at ";" reads it
  assert.deepEqual(goQueryPairs("k;ref=main", /[&;]/), [["k", ""], ["ref", "main"]]);
});
