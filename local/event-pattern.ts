/**
 * EventBridge content filtering, which Lambda event-source-mapping FilterCriteria share. Arrays in the
 * event are flattened as EventBridge does: a field matches when any of its values matches.
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
  if (isObject(rule) && 'exists' in rule) return values.length > 0 === (rule.exists === true);
  return values.some((value) => matchValue(rule, value));
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

/** True when `value` is one of what `anything-but` excludes. */
function anythingBut(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((o) => o === value);
  if (!isObject(operand)) return operand === value;
  const ignoreCase = operand['equals-ignore-case'];
  if (ignoreCase !== undefined) {
    const list = Array.isArray(ignoreCase) ? ignoreCase : [ignoreCase];
    return typeof value === 'string' && list.some((o) => typeof o === 'string' && sameIgnoringCase(value, o));
  }
  return matchValue(operand, value);
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
