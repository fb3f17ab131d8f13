import { describe, expect, it } from 'vitest';
import { call, clientAddress, enquiry, tokens } from './client.ts';
import { ApiContract, type Exchange } from './contract.ts';

const json = { 'content-type': 'application/json; charset=utf-8' };

describe('every answer is checked against the description the API serves', () => {
  it('accepts what the API answers and refuses what differs from it in status, header, media type or body', async () => {
    // Prepare: the served description, and a real lead as staff read it.
    const contract = await ApiContract.of((await call('GET', '/openapi.json')).body);
    const { body: accepted } = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });
    const path = `/v1/leads/${accepted.leadId}`;
    const read = await call('GET', path, { token: tokens()['irina.head'] ?? '' });
    const real: Exchange = { method: 'GET', path, ...read };
    const { attribution: _dropped, ...withoutAttribution } = read.body;

    // Act and assess: the real answer passes; each departure from the description is named.
    expect(contract.problems(real)).toEqual([]);
    expect(contract.problems({ ...real, body: withoutAttribution })).toEqual([
      expect.stringContaining("must have required property 'attribution'"),
    ]);
    expect(contract.problems({ ...real, body: { ...read.body, unannounced: true } })).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(contract.problems({ ...real, body: { ...read.body, receivedAt: 'yesterday' } })).toEqual([
      expect.stringContaining('must match format "date-time"'),
    ]);
    expect(contract.problems({ ...real, status: 418 })).toEqual([
      expect.stringContaining('readLead documents no 418'),
    ]);
    expect(contract.problems({ ...real, headers: { ...real.headers, 'content-type': 'text/html' } })).toEqual(
      [expect.stringContaining('content-type text/html is not documented')],
    );
    // The texts' language is said, and is one Attract has.
    expect(contract.problems({ ...real, headers: json })).toEqual([
      'header content-language is required and missing',
    ]);
    expect(contract.problems({ ...real, headers: { ...real.headers, 'content-language': 'de' } })).toEqual([
      expect.stringContaining('content-language must be equal to one of the allowed values'),
    ]);
    expect(
      contract.problems({ ...real, status: 401, headers: json, body: { message: 'Unauthorized' } }),
    ).toEqual(['header www-authenticate is required and missing']);
    expect(
      contract.problems({ method: 'GET', path: '/v1/elsewhere', status: 200, headers: json, body: {} }),
    ).toEqual([expect.stringContaining('no operation matches')]);
  });
});
