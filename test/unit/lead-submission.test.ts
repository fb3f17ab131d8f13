import { describe, expect, it } from 'vitest';
import { formatIssues, isHoneypotHit, LeadSubmission } from '#shared/leads/lead-submission.ts';

const valid = () => ({
  company: {
    name: '  ООО «Ромашка»  ',
    inn: '7707083893',
    sizeBand: 'medium',
    industry: 'manufacturing',
    website: 'https://romashka.example',
  },
  contact: {
    name: 'Ирина Петрова',
    email: '  Irina.Petrova@Romashka.Example ',
    phone: '+74951234567',
    position: 'Finance director',
  },
  products: ['settlement_account', 'payroll'],
  message: 'We need payroll for 300 employees.',
  consents: [
    { purpose: 'personal_data_processing', granted: true, textVersion: '2026-01' },
    { purpose: 'marketing', granted: false, textVersion: '2026-01' },
  ],
  source: {
    utm: { source: 'partner', medium: 'email', campaign: 'spring' },
    referralCode: 'REF123',
  },
});

/** A valid body with some fields replaced, one level deep. */
function patched(patch: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = valid();
  for (const [key, value] of Object.entries(patch)) {
    const isPart = typeof value === 'object' && value !== null && !Array.isArray(value);
    body[key] = isPart ? { ...(body[key] as object), ...value } : value;
  }
  return body;
}

/** Parses a body and answers the issues as a client would see them. */
function issuesOf(body: unknown) {
  const parsed = LeadSubmission.safeParse(body);
  if (parsed.success) throw new Error('expected the submission to be rejected');
  return formatIssues(parsed.error);
}

const pathsOf = (body: unknown) => issuesOf(body).map((i) => i.path);

describe('LeadSubmission', () => {
  it('parses a full submission, trimming names and lower-casing the email', () => {
    const lead = LeadSubmission.parse(valid());
    expect(lead.company.name).toBe('ООО «Ромашка»');
    expect(lead.contact.email).toBe('irina.petrova@romashka.example');
    expect(lead.source.referralCode).toBe('REF123');
    expect(isHoneypotHit(lead)).toBe(false);
  });

  it('parses a minimal submission, with nothing said about its source', () => {
    const { company, contact, products, consents } = valid();
    const lead = LeadSubmission.parse({
      company: { name: company.name, inn: '500100732259' },
      contact: { name: contact.name, email: contact.email },
      products,
      consents: consents.slice(0, 1),
    });
    expect(lead.source).toEqual({});
  });

  it("refuses a channel or campaign named by the form: attribution is the bank's", () => {
    expect(issuesOf(patched({ source: { channel: 'referral', campaignId: 'cmp-2' } }))).toEqual([
      { path: 'source.channel', message: 'Unknown field' },
      { path: 'source.campaignId', message: 'Unknown field' },
    ]);
  });

  it('tells a bad checksum from a bad length', () => {
    expect(issuesOf(patched({ company: { inn: '7707083894' } }))).toEqual([
      { path: 'company.inn', message: 'INN checksum does not match' },
    ]);
    expect(issuesOf(patched({ company: { inn: '77070838' } }))).toEqual([
      { path: 'company.inn', message: 'INN must be 10 or 12 digits' },
    ]);
  });

  it.each([
    ['contact.email', { contact: { email: 'not-an-email' } }],
    ['contact.phone', { contact: { phone: '8 (495) 123-45-67' } }],
    ['contact.name', { contact: { name: '   ' } }],
    ['company.name', { company: { name: 'x'.repeat(301) } }],
    ['company.website', { company: { website: 'javascript:alert(1)' } }],
    ['company.sizeBand', { company: { sizeBand: 'huge' } }],
    ['products', { products: [] }],
    ['products.1', { products: ['credit', 'mortgage'] }],
    ['message', { message: 'x'.repeat(4001) }],
    ['source.referralCode', { source: { referralCode: 'REF 123' } }],
    ['source.invitation', { source: { invitation: 'x'.repeat(2049) } }],
  ])('reports %s', (path, patch) => {
    expect(pathsOf(patched(patch))).toEqual([path]);
  });

  it('rejects a product listed twice', () => {
    expect(issuesOf({ ...valid(), products: ['credit', 'payroll', 'credit'] })).toEqual([
      { path: 'products', message: 'Each product may be listed only once' },
    ]);
  });

  it('requires granted consent to personal data processing', () => {
    const refused = patched({
      consents: [{ purpose: 'personal_data_processing', granted: false, textVersion: '2026-01' }],
    });
    expect(issuesOf(refused)).toEqual([
      {
        path: 'consents',
        message: 'Consent to personal data processing (personal_data_processing, granted: true) is required',
      },
    ]);
    const absent = patched({ consents: [{ purpose: 'marketing', granted: true, textVersion: '2026-01' }] });
    expect(pathsOf(absent)).toEqual(['consents']);
  });

  it('names an unknown field by its path, at the top level and inside', () => {
    expect(issuesOf({ ...valid(), compnay: {} })).toEqual([{ path: 'compnay', message: 'Unknown field' }]);
    expect(pathsOf(patched({ contact: { phnoe: '+74951234567' } }))).toEqual(['contact.phnoe']);
  });

  it('reports missing required parts', () => {
    expect(pathsOf({})).toEqual(['company', 'contact', 'products', 'consents']);
  });

  it('keeps the referrer and the landing page as origin and path: a query or fragment may carry personal data', () => {
    const lead = LeadSubmission.parse(
      patched({
        source: {
          referrer: 'https://yandex.ru/search/?text=olga%40romashka.example#frag',
          landingPage:
            'https://user:secret@bank.example/sme/payroll?utm_source=yandex&email=olga@romashka.example',
        },
      }),
    );
    expect(lead.source.referrer).toBe('https://yandex.ru/search/');
    expect(lead.source.landingPage).toBe('https://bank.example/sme/payroll');
  });

  it('refuses a referrer or landing page that is not an http(s) address, or is over 2048 characters', () => {
    const long = `https://bank.example/${'a'.repeat(2048)}`;
    expect(
      pathsOf(patched({ source: { referrer: 'javascript:alert(1)', landingPage: 'file:///etc/passwd' } })),
    ).toEqual(['source.referrer', 'source.landingPage']);
    expect(pathsOf(patched({ source: { referrer: 'not an address', landingPage: long } }))).toEqual([
      'source.referrer',
      'source.landingPage',
    ]);
  });

  it('parses the honeypot field and flags any value in it', () => {
    expect(isHoneypotHit(LeadSubmission.parse({ ...valid(), fax: '' }))).toBe(false);
    expect(isHoneypotHit(LeadSubmission.parse({ ...valid(), fax: '+7 495 000-00-00' }))).toBe(true);
  });
});
