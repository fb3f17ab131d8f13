import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from '#local/event-pattern.ts';

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

describe('matchesEventPattern', () => {
  it.each([
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
  ])('matches %s', (_, pattern) => {
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
