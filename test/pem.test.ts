// PEM text is read as Go's encoding/pem reads it (Go 1.25.4 and later, 1.26): talosctl reads
// secrets bundles with pem.Decode, and Talos reads registry TLS material by looping over it.
// Each row is a rule of Go's Decode (and of base64.StdEncoding, which reads the body), with the
// blocks Go's loop `for { b, rest = pem.Decode(rest); if b == nil { break } }` returns for the
// text, as worked out from the Go source: type, headers, and the bytes (latin1).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodePem, pemBlocks, pemDecode } from "../compiler/secrets/pem.ts";

type Want = Array<[type: string, headers: Record<string, string>, bytes: string]>;

const b = (type: string, body: string, end = type) => `-----BEGIN ${type}-----\n${body}-----END ${end}-----\n`;
const ABC: Want = [["X", {}, "ABC"]];

const CASES: Array<[rule: string, text: string, want: Want]> = [
  ["a block", b("X", "QUJD\n"), ABC],
  ["a block without a newline after END", "-----BEGIN X-----\nQUJD\n-----END X-----", ABC],

  // BEGIN starts the text or a line: a newline before it, not a CR alone nor other text
  ["garbage lines before the block", `junk\nmore junk\n${b("X", "QUJD\n")}`, ABC],
  ["a BEGIN that starts mid-line is not a block", `junk ${b("X", "QUJD\n")}`, []],
  ["a BEGIN after a lone CR is mid-line", `junk\r${b("X", "QUJD\n")}`, []],
  ["a BEGIN line without its closing dashes is not a block", "-----BEGIN X\nQUJD\n-----END X-----\n", []],
  ["spaces and tabs after the BEGIN dashes are trimmed", "-----BEGIN X----- \t\nQUJD\n-----END X-----\n", ABC],

  // the END: at the start of a line, the same type, then only spaces and tabs on its line
  ["an END that is not at the start of a line ends nothing", "-----BEGIN X-----\nQUJD-----END X-----\n", []],
  ["an END of another type", b("X", "QUJD\n", "Y"), []],
  ["an END whose type only starts with the BEGIN's", b("X", "QUJD\n", "XY"), []],
  ["an END with four closing dashes", "-----BEGIN X-----\nQUJD\n-----END X----\n", []],
  ["trailing text after END on the same line", "-----BEGIN X-----\nQUJD\n-----END X----- junk\n", []],
  ["a BEGIN on the END's line is trailing text", "-----BEGIN X-----\nQUJD\n-----END X----------BEGIN Y-----\nREVG\n-----END Y-----\n", []],
  ["spaces and tabs after END", "-----BEGIN X-----\nQUJD\n-----END X----- \t\nrest\n", ABC],
  ["a CR at the very end after END is trailing text", "-----BEGIN X-----\nQUJD\n-----END X-----\r", []],
  ["a CR before spaces after END is trailing text", "-----BEGIN X-----\nQUJD\n-----END X-----\r \n", []],

  // CRLF: a CR just before a LF ends a line; in the body, base64 skips CR and LF
  ["CRLF line endings", "-----BEGIN X-----\r\nQUJD\r\nREVG\r\n-----END X-----\r\n", [["X", {}, "ABCDEF"]]],
  ["spaces before the CRLF of the BEGIN line", "-----BEGIN X----- \r\nQUJD\r\n-----END X-----\r\n", ABC],
  ["a CR before spaces on the BEGIN line stays in the type line", "-----BEGIN X-----\r \nQUJD\n-----END X-----\n", []],

  // headers: every line with a colon right after BEGIN, key and value trimmed; no continuation lines
  ["headers and a blank line", b("X", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nQUJD\n"), [["X", { "Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00" }, "ABC"]]],
  ["a header without the blank line before a body", b("X", "K: v\nQUJD\n"), [["X", { K: "v" }, "ABC"]]],
  ["a header without the blank line and no body", b("X", "K: v\n"), []],
  ["a header, the blank line and no body", b("X", "K: v\n\n"), [["X", { K: "v" }, ""]]],
  ["header keys and values are trimmed, the last of a key wins, the key may be empty", b("X", "  K \t:  a b  \nK: c\n:\n\nQUJD\n"), [["X", { K: "c", "": "" }, "ABC"]]],
  ["a continuation line is read as body", b("X", "DEK-Info: AES-128-CBC,\n 00112233\n\nQUJD\n"), [["X", { "DEK-Info": "AES-128-CBC," }, "\xd3\x4d\x75\xdb\x6d\xf7ABC"]]],
  ["a continuation line that is no base64 loses the block", b("X", "DEK-Info: AES-128-CBC,\n 0011223\n\nQUJD\n"), []],
  ["header text is trimmed of Unicode spaces but not of U+FEFF", b("X", "K:\u00a0v\u2003\nL: \ufeffw\n\nQUJD\n"), [["X", { K: "v", L: "\ufeffw" }, "ABC"]]],
  ["a type with a colon and no body reads its END line as a header", "-----BEGIN A:B-----\n-----END A:B-----\n", []],
  ["a type with a colon and a body", b("A:B", "QUJD\n"), [["A:B", {}, "ABC"]]],
  ["header lines that run past an END line end the search", `-----BEGIN A-----\nK: v\n-----END A----- x: y\n${b("B", "QUJD\n")}`, []],

  // the body
  ["an empty body", "-----BEGIN X-----\n-----END X-----\n", [["X", {}, ""]]],
  ["an empty body with CRLF", "-----BEGIN X-----\r\n-----END X-----\r\n", [["X", {}, ""]]],
  ["a blank line as body", b("X", "\n"), [["X", {}, ""]]],
  ["spaces as body", b("X", "  \t\n"), [["X", {}, ""]]],
  ["an empty type", b("", "QUJD\n"), [["", {}, "ABC"]]],
  ["base64 with spaces, tabs and CR inside", b("X", "QU JD\tRE\rVG\n"), [["X", {}, "ABCDEF"]]],
  ["a form feed in base64", b("X", "QUJD\fREVG\n"), []],
  ["base64 without padding", b("X", "QUJ\n"), []],
  ["base64 one padding character short", b("X", "QQ=\n"), []],
  ["base64 padding split by a newline", b("X", "QQ=\n=\n"), [["X", {}, "A"]]],
  ["base64 with unused bits set", b("X", "QR==\n"), [["X", {}, "A"]]],
  ["base64 data after the padding", b("X", "QUI=QUJD\n"), []],
  ["base64 padding at the start of a quantum", b("X", "QUJD=\n"), []],
  ["base64 with three padding characters", b("X", "Q===\n"), []],
  ["base64 of another alphabet", b("X", "QU-_\n"), []],

  // several blocks, and what the search skips
  ["garbage before and between blocks", `garbage\n${b("A", "QUJD\n")}more: garbage\n\n${b("B", "REVG\n")}trailer`, [["A", {}, "ABC"], ["B", {}, "DEF"]]],
  ["a block right after another's END line", `${b("A", "QUJD\n")}${b("B", "REVG\n")}`, [["A", {}, "ABC"], ["B", {}, "DEF"]]],
  ["a block that fails is skipped past its END", `${b("A", "!!!!\n")}${b("B", "QUJD\n")}`, [["B", {}, "ABC"]]],
  ["a BEGIN without an END before another block", `-----BEGIN A-----\nQUJD\n${b("B", "REVG\n")}`, [["B", {}, "DEF"]]],
  ["the last BEGIN before the first END is tried", `${b("A", "QUJD\n-----BEGIN B-----\n")}${b("C", "REVG\n")}`, [["C", {}, "DEF"]]],
  ["a BEGIN just past an END text given up on counts as a line start", `\n-----END -----BEGIN B-----\nQUJD\n-----END B-----\n`, [["B", {}, "ABC"]]],
  ["no END at all", "-----BEGIN X-----\nQUJD\n", []],
  ["no PEM", "hello", []],
];

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("PEM as Go's pem.Decode reads it", () => {
  for (const [rule, text, want] of CASES) {
    test(rule, () => {
      const got = pemBlocks(text).map((block): Want[number] => [block.type, Object.fromEntries(block.headers), latin1(block.bytes)]);
      assert.deepEqual(got, want);
      const first = decodePem(text);
      assert.deepEqual(first === undefined ? undefined : [first.type, Object.fromEntries(first.headers), latin1(first.bytes)], want[0]);
      // bytes read as they are: the same text given as UTF-8 finds the same blocks
      assert.deepEqual(pemBlocks(Buffer.from(text, "utf8")), pemBlocks(text));
    });
  }

  test("the rest starts after the END line; without a block it is all of the data", () => {
    assert.equal(latin1(pemDecode("x\n-----BEGIN X-----\nQUJD\n-----END X----- \r\nnext\n").rest), "next\n");
    assert.equal(latin1(pemDecode("-----BEGIN X-----\n-----END X-----").rest), "");
    assert.equal(latin1(pemDecode("junk -----BEGIN X-----\nQUJD\n-----END X-----\n").rest), "junk -----BEGIN X-----\nQUJD\n-----END X-----\n");
  });

  test("bytes are not UTF-8: a lone 0xA0 byte is no space to trim", () => {
    const text = Buffer.concat([Buffer.from("-----BEGIN X-----\nK: "), Buffer.from([0xa0]), Buffer.from("v\n\nQUJD\n-----END X-----\n")]);
    assert.deepEqual(decodePem(text)?.headers, new Map([["K", "\ufffdv"]]));
  });
});
