import { describe, expect, it } from 'vitest';
import { matchesEventPattern, validateEventPattern } from '#local/event-pattern.ts';

const event = {
  source: 'attract.leads',
  'detail-type': 'LeadQualified',
  resources: ['arn:aws:dynamodb:eu-central-1:000000000000:table/Leads'],
  detail: {
    leadId: 'L-42',
    score: 81,
    segment: 'SME',
    email: 'Anna@Example.COM',
    tags: ['urgent', 'export'],
    contacts: [{ role: 'owner', name: 'Anna' }, { role: 'cfo' }],
    closedAt: null,
  },
};

const MATCHING: [string, unknown][] = [
  [
    'exact values and nested objects',
    { source: ['attract.leads'], detail: { segment: ['SME', 'Corporate'] } },
  ],
  ['any element of an event array', { detail: { tags: ['export'] } }],
  ['objects inside event arrays', { detail: { contacts: { role: ['cfo'] } } }],
  ['prefix', { detail: { leadId: [{ prefix: 'L-' }] } }],
  ['prefix ignoring case', { detail: { email: [{ prefix: { 'equals-ignore-case': 'anna@' } }] } }],
  ['suffix', { detail: { email: [{ suffix: '.COM' }] } }],
  ['equals-ignore-case', { detail: { email: [{ 'equals-ignore-case': 'anna@example.com' }] } }],
  ['anything-but a value', { detail: { segment: [{ 'anything-but': 'Retail' }] } }],
  ['anything-but a list', { detail: { segment: [{ 'anything-but': ['Retail', 'Private'] }] } }],
  ['anything-but a prefix', { detail: { leadId: [{ 'anything-but': { prefix: 'X-' } }] } }],
  ['exists: true', { detail: { score: [{ exists: true }] } }],
  ['exists: false', { detail: { rejectedBy: [{ exists: false }] } }],
  ['numeric ranges', { detail: { score: [{ numeric: ['>', 80, '<=', 100] }] } }],
  ['numeric equality', { detail: { score: [{ numeric: ['=', 81] }] } }],
  ['null', { detail: { closedAt: [null] } }],
  ['wildcard', { detail: { leadId: [{ wildcard: 'L-*2' }] } }],
  ['$or', { detail: { $or: [{ segment: ['Retail'] }, { score: [{ numeric: ['>', 50] }] }] } }],
  ['one of several rules in a field', { detail: { segment: ['Retail', { prefix: 'S' }] } }],
  ['anything-but a list of prefixes', { detail: { leadId: [{ 'anything-but': { prefix: ['X-', 'Y-'] } }] } }],
  ['anything-but a suffix', { detail: { email: [{ 'anything-but': { suffix: '.org' } }] } }],
  ['anything-but a wildcard', { detail: { leadId: [{ 'anything-but': { wildcard: 'X-*' } }] } }],
  ['exists: false on a field that holds an object', { detail: { contacts: [{ exists: false }] } }],
];

describe('matchesEventPattern', () => {
  it.each(MATCHING)('matches %s', (_, pattern) => {
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it.each([
    ['another value', { source: ['attract.billing'] }],
    ['a missing field', { detail: { rejectedBy: ['anyone'] } }],
    ['a missing nested object', { detail: { owner: { name: ['Anna'] } } }],
    ['a number against its string', { detail: { score: ['81'] } }],
    ['a string against numbers', { detail: { segment: [{ numeric: ['>', 0] }] } }],
    ['a prefix of another case', { detail: { email: [{ prefix: 'anna' }] } }],
    ['anything-but the value it has', { detail: { segment: [{ 'anything-but': ['SME'] }] } }],
    ['exists: true on a missing field', { detail: { rejectedBy: [{ exists: true }] } }],
    ['exists: false on a present field', { detail: { score: [{ exists: false }] } }],
    ['a numeric range it is outside', { detail: { score: [{ numeric: ['<', 81] }] } }],
    ['null against a missing field', { detail: { rejectedBy: [null] } }],
    ['a leaf that is not an array', { source: 'attract.leads' }],
    ['an empty list of values', { source: [] }],
    ['exists: true on a field that holds an object', { detail: { contacts: [{ exists: true }] } }],
    [
      'exists: true on a field that holds an empty list',
      { resources: [{ exists: true }], detail: { none: [] } },
    ],
    ['anything-but against an object', { detail: [{ 'anything-but': 'x' }] }],
    [
      'anything-but one of the suffixes',
      { detail: { leadId: [{ 'anything-but': { suffix: ['1', '42'] } }] } },
    ],
    [
      'anything-but ignoring case',
      { detail: { email: [{ 'anything-but': { 'equals-ignore-case': 'ANNA@example.com' } }] } },
    ],
  ])('does not match %s', (_, pattern) => {
    expect(matchesEventPattern(pattern, event)).toBe(false);
  });

  it('filters DynamoDB stream records as Lambda FilterCriteria do', () => {
    const pattern = { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Lead'] } } } };
    const record = (eventName: string, type: string) => ({
      eventName,
      dynamodb: { Keys: { pk: { S: 'LEAD#1' } }, NewImage: { type: { S: type }, n: { N: '5' } } },
    });

    expect(matchesEventPattern(pattern, record('INSERT', 'Lead'))).toBe(true);
    expect(matchesEventPattern(pattern, record('MODIFY', 'Lead'))).toBe(false);
    expect(matchesEventPattern(pattern, record('INSERT', 'Manager'))).toBe(false);
  });

  it('requires every field of the pattern', () => {
    expect(matchesEventPattern({ source: ['attract.leads'], detail: { segment: ['Retail'] } }, event)).toBe(
      false,
    );
    expect(matchesEventPattern({}, event)).toBe(true);
    expect(matchesEventPattern(null, event)).toBe(false);
  });
});

describe('validateEventPattern', () => {
  it.each(MATCHING)('accepts %s', (_, pattern) => {
    expect(() => validateEventPattern(pattern)).not.toThrow();
  });

  it.each([
    ['a pattern that is not an object', ['attract.leads'], 'Filter is not an object'],
    ['an empty pattern', {}, 'Empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'Empty objects are not allowed (at detail)'],
    ['a leaf that is not an array', { source: 'attract.leads' }, '"source" must be an object or an array'],
    [
      'an empty list of values',
      { detail: { segment: [] } },
      'Empty arrays are not allowed (at detail.segment)',
    ],
    [
      'a list inside the values',
      { source: [['a']] },
      'Match value must be String, number, true, false, or null',
    ],
    ['an unknown operator', { source: [{ startsWith: 'a' }] }, 'Unrecognized match type startsWith'],
    ['two operators in one rule', { source: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed'],
    ['an empty rule', { source: [{}] }, 'Match expression name not found'],
    [
      'exists with a string',
      { source: [{ exists: 'yes' }] },
      'exists match pattern must be either true or false.',
    ],
    ['a prefix that is a number', { source: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
    [
      'a prefix with another option',
      { source: [{ prefix: { wildcard: 'a' } }] },
      'Unsupported prefix pattern: wildcard',
    ],
    ['numeric that is not a list', { n: [{ numeric: '>5' }] }, 'Value of numeric must be an array.'],
    [
      'numeric with an unknown operator',
      { n: [{ numeric: ['!=', 5] }] },
      'Unrecognized numeric range operator: !=',
    ],
    ['numeric with a string limit', { n: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
    [
      'numeric equality with a range',
      { n: [{ numeric: ['=', 5, '<', 6] }] },
      'Too many elements in numeric expression',
    ],
    [
      'a range opened from above',
      { n: [{ numeric: ['<', 9, '>', 1] }] },
      'Too many elements in numeric expression',
    ],
    ['a range closed from below', { n: [{ numeric: ['>', 1, '>=', 9] }] }, 'Bad numeric range operator: >='],
    ['a range upside down', { n: [{ numeric: ['>', 9, '<', 1] }] }, 'Bottom must be less than top'],
    ['an empty range', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, 'Bottom must be less than top'],
    ['a range with more terms', { n: [{ numeric: ['>', 1, '<', 9, '<', 10] }] }, 'Too many terms'],
    [
      'anything-but null',
      { s: [{ 'anything-but': null }] },
      'must be an array or single string/number value',
    ],
    ['anything-but a mixed list', { s: [{ 'anything-but': ['a', 1] }] }, 'mixed type is not supported'],
    ['anything-but an empty list', { s: [{ 'anything-but': [] }] }, 'mixed type is not supported'],
    [
      'anything-but a boolean in a list',
      { s: [{ 'anything-but': [true] }] },
      'start|null|boolean is not supported',
    ],
    [
      'anything-but an unknown option',
      { s: [{ 'anything-but': { exists: true } }] },
      'Unsupported anything-but pattern: exists',
    ],
    [
      'anything-but an empty prefix',
      { s: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    ['consecutive wildcards', { s: [{ wildcard: 'abc**def' }] }, 'Consecutive wildcard characters at pos 4'],
    ['an escape of a plain letter', { s: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'],
    ['$or that is not a list', { $or: { a: ['x'] } }, 'It must be an Array followed with $or.'],
    [
      '$or with one branch',
      { $or: [{ a: ['x'] }] },
      'There must have at least 2 Objects in $or relationship.',
    ],
    ['$or with a value branch', { $or: [{ a: ['x'] }, 'b'] }, 'Only JSON object is allowed in array of $or'],
    [
      'a reserved name inside $or',
      { $or: [{ a: ['x'] }, { prefix: ['y'] }] },
      'prefix is Ruler reserved fieldName',
    ],
  ])('refuses %s, as EventBridge does', (_, pattern, reason) => {
    expect(() => validateEventPattern(pattern)).toThrow(
      expect.objectContaining({
        name: 'InvalidEventPatternException',
        message: expect.stringContaining(reason),
      }),
    );
  });

  it('accepts what EventBridge accepts around the edges', () => {
    for (const pattern of [
      { s: [{ wildcard: 'a\\*b\\\\c*' }] },
      { n: [{ numeric: ['>=', 0, '<', 0.5] }] },
      { s: [{ 'anything-but': [1, 2.5] }] },
      { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] },
      { s: [{ prefix: { 'equals-ignore-case': 'ab' } }], t: [null, true, 0, 'x'] },
      { detail: { $or: [{ a: ['x'] }, { b: { c: [{ exists: false }] } }] } },
    ]) {
      expect(() => validateEventPattern(pattern)).not.toThrow();
    }
  });

  it('refuses cidr loudly, since the local bus does not match it', () => {
    expect(() => validateEventPattern({ ip: [{ cidr: '10.0.0.0/8' }] })).toThrow(/not emulated/);
  });
});
