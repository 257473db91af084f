/** Zod issues of the configuration schema as `path: message` lines. */
import type { z } from "zod";
import { describeValue, formatPath, suggest } from "./errors.js";
import { keysAt } from "./introspect.js";
import { SECTIONS } from "./schema.js";

const KIND: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  literal: "a fixed value",
};

function typeMessage(expected: string, input: unknown): string {
  if (input === undefined) return "required";
  const want = KIND[expected] ?? expected;
  return `expected ${want}, got ${describeValue(input)}`;
}

function unknownKey(path: readonly PropertyKey[], key: string): string {
  const line = formatPath([...path, key]);
  if (path.length === 0) return `${line}: unknown section; the sections are ${SECTIONS.join(", ")}`;
  const close = suggest(key, keysAt(path) ?? []);
  return close === undefined ? `${line}: unknown key` : `${line}: unknown key (did you mean "${close}"?)`;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
  const most = issue.code === "too_small" ? "at least" : "at most";
  if (issue.origin === "array" || issue.origin === "set") return `must list ${most} ${bound} item(s)`;
  if (issue.origin === "string") return `must be ${most} ${bound} characters long`;
  const cmp = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
  return `must be ${cmp} ${bound}, got ${describeValue(issue.input)}`;
}

/** One or more lines for one issue (an unknown-keys issue gives one line per key). */
export function issueLines(issue: z.core.$ZodIssue): string[] {
  const where = formatPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(issue.path, key));
    case "invalid_type":
      return [`${where}: ${typeMessage(issue.expected, issue.input)}`];
    case "invalid_value": {
      const options = issue.values.map((v) => describeValue(v)).join(", ");
      const single = issue.values.length === 1;
      return [`${where}: must be ${single ? "" : "one of "}${options}, got ${describeValue(issue.input)}`];
    }
    case "too_small":
    case "too_big":
      return [`${where}: ${sizeMessage(issue)}`];
    default:
      return [`${where}: ${issue.message}`];
  }
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = issues.flatMap(issueLines);
  return [...new Set(lines)];
}
