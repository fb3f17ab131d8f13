import { AwsError } from './json-protocol.ts';

/**
 * EventBridge content filtering, which Lambda event-source-mapping FilterCriteria share. Arrays in the
 * event are flattened as EventBridge does: a field matches when any of its values matches. Only leaf
 * values match a rule: a field holding an object has no value of its own, so `exists: true` misses it.
 * Patterns are assumed valid: `validateEventPattern` refuses the others when the rule is created.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return isObject(pattern) && matchObject(pattern, [event]);
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const flatten = (value: unknown): unknown[] => (Array.isArray(value) ? value.flatMap(flatten) : [value]);

/** Every key of the pattern must match among `candidates`, the objects found at this level. */
function matchObject(pattern: Json, candidates: unknown[]): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      return Array.isArray(rule) && rule.some((p) => isObject(p) && matchObject(p, candidates));
    }
    const values = candidates.flatMap((c) => (isObject(c) && Object.hasOwn(c, key) ? flatten(c[key]) : []));
    if (Array.isArray(rule)) return rule.some((r) => matchRule(r, values));
    if (isObject(rule)) return matchObject(rule, values);
    return false; // a leaf of a pattern must be an array
  });
}

function matchRule(rule: unknown, values: unknown[]): boolean {
  const leaves = values.filter((value) => !isObject(value));
  if (isObject(rule) && 'exists' in rule) return leaves.length > 0 === (rule.exists === true);
  return leaves.some((value) => matchValue(rule, value));
}

function matchValue(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) return rule === value;
  const [operator, operand] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && compareString(operand, value, (v, o) => v.startsWith(o));
    case 'suffix':
      return typeof value === 'string' && compareString(operand, value, (v, o) => v.endsWith(o));
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && sameIgnoringCase(value, operand);
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcard(operand).test(value);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && matchNumeric(operand, value);
    case 'anything-but':
      return !anythingBut(operand, value);
    default:
      return false;
  }
}

/** `prefix`/`suffix` take a string or `{ 'equals-ignore-case': string }`. */
function compareString(operand: unknown, value: string, test: (value: string, operand: string) => boolean) {
  if (typeof operand === 'string') return test(value, operand);
  const ignoreCase = isObject(operand) ? operand['equals-ignore-case'] : undefined;
  return typeof ignoreCase === 'string' && test(value.toLowerCase(), ignoreCase.toLowerCase());
}

/** True when `value` is one of what `anything-but` excludes: values, or strings by one operator. */
function anythingBut(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((o) => o === value);
  if (!isObject(operand)) return operand === value;
  const [operator, strings] = Object.entries(operand)[0] ?? [];
  const list = Array.isArray(strings) ? strings : [strings];
  return list.some((one) => matchValue({ [String(operator)]: one }, value));
}

function matchNumeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const limit = conditions[i + 1];
    if (typeof limit !== 'number') return false;
    const ok = {
      '=': value === limit,
      '<': value < limit,
      '<=': value <= limit,
      '>': value > limit,
      '>=': value >= limit,
    }[String(conditions[i])];
    if (!ok) return false;
  }
  return conditions.length > 0;
}

const sameIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}

/** Field names aws/event-ruler keeps for itself inside `$or`. */
const RESERVED_IN_OR = new Set([
  ...['exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric'],
  ...['cidr', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after'],
  ...['date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range'],
  'ip-address-not-in-range',
]);
const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='];
const ANYTHING_BUT_OPERATORS = ['equals-ignore-case', 'prefix', 'suffix', 'wildcard'];

/**
 * Refuses, as EventBridge does at PutRule, a pattern it would not compile: the checks and reasons of
 * aws/event-ruler, the engine EventBridge runs. Throws InvalidEventPatternException naming the field.
 */
export function validateEventPattern(pattern: unknown): void {
  if (!isObject(pattern)) invalid('Filter is not an object', []);
  checkFields(pattern, [], false);
}

function invalid(reason: string, path: string[]): never {
  const where = path.length > 0 ? ` (at ${path.join('.')})` : '';
  throw new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}${where}`);
}

function checkFields(pattern: Json, path: string[], insideOr: boolean): void {
  if (Object.keys(pattern).length === 0) invalid('Empty objects are not allowed', path);
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      checkOr(value, path);
      continue;
    }
    const at = [...path, key];
    if (insideOr && RESERVED_IN_OR.has(key)) {
      invalid(`${key} is Ruler reserved fieldName which cannot be used inside $or.`, at);
    }
    if (Array.isArray(value)) checkValues(value, at);
    else if (isObject(value)) checkFields(value, at, insideOr);
    else invalid(`"${key}" must be an object or an array`, at);
  }
}

function checkOr(branches: unknown, path: string[]): void {
  if (!Array.isArray(branches)) invalid('It must be an Array followed with $or.', path);
  for (const branch of branches) {
    if (!isObject(branch)) invalid('Only JSON object is allowed in array of $or relationship.', path);
    checkFields(branch, path, true);
  }
  if (branches.length < 2) invalid('There must have at least 2 Objects in $or relationship.', path);
}

function checkValues(values: unknown[], path: string[]): void {
  if (values.length === 0) invalid('Empty arrays are not allowed', path);
  for (const value of values) {
    if (isObject(value)) checkExpression(value, path);
    else if (Array.isArray(value)) invalid('Match value must be String, number, true, false, or null', path);
  }
}

function checkExpression(expression: Json, path: string[]): void {
  const [entry, ...more] = Object.entries(expression);
  if (!entry) invalid('Match expression name not found', path);
  if (more.length > 0) invalid('Only one key allowed in match expression', path);
  const [operator, operand] = entry;
  if (operator === 'prefix' || operator === 'suffix') checkAffix(operator, operand, path);
  else if (operator === 'equals-ignore-case') {
    if (typeof operand !== 'string') invalid('equals-ignore-case match pattern must be a string', path);
  } else if (operator === 'wildcard') {
    if (typeof operand !== 'string') invalid('wildcard match pattern must be a string', path);
    checkWildcard(operand, path);
  } else if (operator === 'numeric') checkNumeric(operand, path);
  else if (operator === 'anything-but') checkAnythingBut(operand, path);
  else if (operator === 'exists') {
    if (typeof operand !== 'boolean') invalid('exists match pattern must be either true or false.', path);
  } else if (operator === 'cidr') {
    // EventBridge accepts cidr; refused here rather than silently never matching
    throw new Error(`cidr matching is not emulated by the local event bus (at ${path.join('.')})`);
  } else invalid(`Unrecognized match type ${operator}`, path);
}
/** `prefix`/`suffix`: a string, or `{ "equals-ignore-case": string }`. */
function checkAffix(operator: string, operand: unknown, path: string[]): void {
  if (typeof operand === 'string') return;
  if (!isObject(operand)) invalid(`${operator} match pattern must be a string`, path);
  const [inner, ...more] = Object.keys(operand);
  const name = `${operator[0]?.toUpperCase()}${operator.slice(1)}`;
  if (inner === undefined) invalid(`${name} expression name not found`, path);
  if (inner !== 'equals-ignore-case') invalid(`Unsupported ${operator} pattern: ${inner}`, path);
  if (typeof operand[inner] !== 'string') invalid('equals-ignore-case match pattern must be a string', path);
  if (more.length > 0) invalid('Only one key allowed in match expression', path);
}

/** `*` matches anything; `\` escapes only `*` and `\`; `**` is refused. Positions count the opening quote. */
function checkWildcard(text: string, path: string[]): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x2a && bytes[i + 1] === 0x2a)
      invalid(`Consecutive wildcard characters at pos ${i + 1}`, path);
    if (bytes[i] !== 0x5c) continue;
    if (bytes[i + 1] !== 0x2a && bytes[i + 1] !== 0x5c)
      invalid(`Invalid escape character at pos ${i + 1}`, path);
    i++;
  }
}

/** `[op, n]`, or a range `[">"|">=", low, "<"|"<=", high]` with low below high. */
function checkNumeric(operand: unknown, path: string[]): void {
  if (!Array.isArray(operand)) invalid('Value of numeric must be an array.', path);
  const [operator, value, upperOperator, upper, ...rest] = operand as unknown[];
  if (typeof operator !== 'string')
    invalid(`Invalid member in numeric match: ${JSON.stringify(operator)}`, path);
  if (!NUMERIC_OPERATORS.includes(operator))
    invalid(`Unrecognized numeric range operator: ${operator}`, path);
  if (typeof value !== 'number')
    invalid(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`, path);
  if (operand.length === 2) return;
  if (operator === '=' || operator === '<' || operator === '<=')
    invalid('Too many elements in numeric expression', path);
  if (typeof upperOperator !== 'string')
    invalid(`Bad value in numeric range: ${JSON.stringify(upperOperator)}`, path);
  if (upperOperator !== '<' && upperOperator !== '<=')
    invalid(`Bad numeric range operator: ${upperOperator}`, path);
  if (typeof upper !== 'number') invalid(`Value of ${upperOperator} must be numeric`, path);
  if (rest.length > 0) invalid('Too many terms in numeric range expression', path);
  if (value >= upper) invalid('Bottom must be less than top', path);
}

/** A string, a number, a list of one of them, or `{ prefix|suffix|wildcard|equals-ignore-case: string(s) }`. */
function checkAnythingBut(operand: unknown, path: string[]): void {
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    if (operand.some((o) => typeof o !== 'string' && typeof o !== 'number')) {
      invalid('Inside anything but list, start|null|boolean is not supported.', path);
    }
    const kinds = new Set(operand.map((o) => typeof o));
    if (kinds.size !== 1) {
      invalid(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
        path,
      );
    }
    return;
  }
  if (!isObject(operand)) {
    invalid('Value of anything-but must be an array or single string/number value.', path);
  }
  const [operator, ...more] = Object.keys(operand);
  if (operator === undefined) invalid('Anything-But expression name not found', path);
  if (!ANYTHING_BUT_OPERATORS.includes(operator))
    invalid(`Unsupported anything-but pattern: ${operator}`, path);
  if (more.length > 0) invalid('Only one key allowed in match expression', path);
  const inner = operand[operator];
  if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
    invalid('Value of anything-but must be an array or single string/number value.', path);
  }
  for (const one of Array.isArray(inner) ? inner : [inner]) {
    if (typeof one !== 'string') {
      invalid(
        operator === 'equals-ignore-case'
          ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
          : operator === 'wildcard'
            ? 'wildcard match pattern must be a string'
            : 'prefix/suffix match pattern must be a string',
        path,
      );
    }
    if ((operator === 'prefix' || operator === 'suffix') && one === '')
      invalid('Null prefix/suffix not allowed', path);
    if (operator === 'wildcard') checkWildcard(one, path);
  }
}
