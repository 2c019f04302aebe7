import { z } from 'zod';
import { describeValue, formatZodIssues, jsonPath } from '../zod-format.js';
import { closestMatch } from './did-you-mean.js';

/** One problem in a config, as put on an error's `details.issues`. */
export interface ConfigIssue {
  /** JSON path of the offending key, e.g. "ga.populationSize" or "tasks[0].id". */
  readonly path: string;
  /** What is wrong there, e.g. "expected integer ≥ 2, found number 1.5". */
  readonly problem: string;
  /** For an unknown key: the known key it most likely means, as a full path. */
  readonly suggestion?: string;
}

type Schema = z.core.$ZodType;

/** Strips optional/nullable/default wrappers, which do not change where a path leads. */
function unwrap(schema: Schema): Schema {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNonOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault
  ) {
    current = current.unwrap();
  }
  return current;
}

/** The schema that validates the value at `path`, if the path leads anywhere. */
function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = root;
  for (const part of path) {
    if (current === undefined) return undefined;
    const inner = unwrap(current);
    if (inner instanceof z.ZodObject) current = inner.shape[String(part)] as Schema | undefined;
    else if (inner instanceof z.ZodArray && typeof part === 'number') current = inner.element as Schema;
    else if (inner instanceof z.ZodRecord) current = inner.valueType as Schema;
    else return undefined;
  }
  return current;
}

/** "integer ≥ 2", "an object", "one of "smoke", "quick"" — what a schema accepts, in words. */
function describeSchema(schema: Schema): string | undefined {
  const description = (schema as z.ZodType).description;
  if (description) return description;
  if (schema instanceof z.ZodNullable) {
    const inner = describeSchema(schema.unwrap());
    return inner && `${inner}, or null`;
  }
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNonOptional || schema instanceof z.ZodDefault) {
    return describeSchema(schema.unwrap());
  }
  if (schema instanceof z.ZodArray) {
    const item = describeSchema(schema.element);
    return item ? `an array (each item: ${item})` : 'an array';
  }
  if (schema instanceof z.ZodObject) return 'an object';
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.map((o) => JSON.stringify(o)).join(', ')}`;
  return undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function unknownKeyIssues(root: Schema, issue: z.core.$ZodIssueUnrecognizedKeys): ConfigIssue[] {
  const parent = schemaAt(root, issue.path);
  const shape = parent && unwrap(parent) instanceof z.ZodObject ? (unwrap(parent) as z.ZodObject).shape : {};
  const known = Object.keys(shape);
  return issue.keys.map((key) => {
    const path = jsonPath([...issue.path, key]);
    let match = closestMatch(key, known);
    if (match === undefined) {
      // A key written one level too high, e.g. `populationSize` instead of `ga.populationSize`.
      for (const [name, child] of Object.entries(shape)) {
        const inner = unwrap(child as Schema);
        if (inner instanceof z.ZodObject && key in inner.shape) match = `${name}.${key}`;
      }
    }
    if (match !== undefined) {
      const suggestion = jsonPath([...issue.path, ...match.split('.')]);
      return { path, problem: `unknown key; did you mean ${suggestion}?`, suggestion };
    }
    return { path, problem: `unknown key; the keys allowed here are ${known.join(', ')}` };
  });
}

const DESCRIBABLE = new Set(['invalid_type', 'too_small', 'too_big', 'invalid_format', 'not_multiple_of']);

/**
 * Turns zod issues into config issues: each names its JSON path, what was expected (in the
 * schema's own words) and what was found, and an unknown key gets its likely intended name.
 */
export function configIssues(root: Schema, issues: readonly z.core.$ZodIssue[], input: unknown): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') return unknownKeyIssues(root, issue);
    const path = jsonPath(issue.path);
    const target = schemaAt(root, issue.path);
    const isArrayLength = (issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'array';
    const expected = DESCRIBABLE.has(issue.code) && !isArrayLength && target ? describeSchema(target) : undefined;
    if (expected !== undefined) {
      return [{ path, problem: `expected ${expected}, found ${describeValue(valueAt(input, issue.path))}` }];
    }
    // formatZodIssues gives "  - path: problem"; keep the problem.
    const line = formatZodIssues([issue], input).trim().replace(/^- /, '');
    return [{ path, problem: line.startsWith(`${path}: `) ? line.slice(path.length + 2) : line }];
  });
}

/** The issues as message lines, "  - ga.populationSize: expected ..., found ...". */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `  - ${issue.path}: ${issue.problem}`).join('\n');
}
