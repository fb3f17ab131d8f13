import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { signInvitation } from '#shared/leads/invitation.ts';
import { readDecisionLink, signDecisionLink } from '#shared/managers/decision-link.ts';
import { TEST_KEYS } from './support/capture.ts';

const NOW = new Date('2026-03-02T09:15:30.500Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

const request = {
  leadId: 'lead-01JQ7Z',
  managerId: 'pm-ivanova',
  assignmentId: 'asg-1',
  action: 'accept',
  now: NOW,
  validMinutes: 240,
} as const;

/** A token the decision-link key signs with claims the test chooses, as an insider with the key could. */
function signWithDecisionKey(claims: Record<string, unknown>, audience: string, issuer = 'attract') {
  return new SignJWT({ lead: 'lead-01JQ7Z', asg: 'asg-1', act: 'accept', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('pm-ivanova')
    .setJti('AAAAAAAAAAAAAAAAAAAAAA')
    .setExpirationTime(Math.floor(minutes(60).getTime() / 1000))
    .sign(TEST_KEYS.signingKey('manager_decision_link'));
}

describe('signed decision links', () => {
  it('reads back what it signed: lead, PM, assignment, action, link id and expiry', async () => {
    const link = await signDecisionLink(TEST_KEYS, request);
    expect(link.expiresAt).toEqual(new Date('2026-03-02T13:15:30.000Z'));
    expect(link.linkId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await readDecisionLink(TEST_KEYS, link.token, minutes(239))).toEqual({
      ok: true,
      claims: {
        leadId: 'lead-01JQ7Z',
        managerId: 'pm-ivanova',
        assignmentId: 'asg-1',
        action: 'accept',
        linkId: link.linkId,
        expiresAt: link.expiresAt,
      },
    });
  });

  it('gives a short token that goes into a URL as it is, and a link id of its own to every link', async () => {
    const accept = await signDecisionLink(TEST_KEYS, {
      ...request,
      leadId: randomUUID(),
      managerId: 'pm-konstantinopolskaya',
      assignmentId: randomUUID(),
    });
    const again = await signDecisionLink(TEST_KEYS, request);
    const decline = await signDecisionLink(TEST_KEYS, { ...request, action: 'decline' });
    expect(accept.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(accept.token)).toBe(accept.token);
    expect(accept.token.length).toBeLessThan(400);
    expect(new Set([accept.linkId, again.linkId, decline.linkId]).size).toBe(3);
  });

  it('refuses to sign a link without a lead, or one that never or hardly ever expires', async () => {
    await expect(signDecisionLink(TEST_KEYS, { ...request, leadId: ' ' })).rejects.toThrow();
    await expect(signDecisionLink(TEST_KEYS, { ...request, validMinutes: 0 })).rejects.toThrow();
    await expect(signDecisionLink(TEST_KEYS, { ...request, validMinutes: 32 * 24 * 60 })).rejects.toThrow();
  });

  it('refuses a link whose claims were changed, or whose signature was', async () => {
    const { token } = await signDecisionLink(TEST_KEYS, request);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const otherPm = Buffer.from(JSON.stringify({ ...claims, sub: 'pm-petrov' })).toString('base64url');
    const declined = Buffer.from(JSON.stringify({ ...claims, act: 'decline' })).toString('base64url');
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    for (const forged of [
      `${header}.${otherPm}.${signature}`,
      `${header}.${declined}.${signature}`,
      `${header}.${payload}.${flipped.toString('base64url')}`,
    ]) {
      expect(await readDecisionLink(TEST_KEYS, forged, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('refuses a link signed with another key secret', async () => {
    const other = Keys.derive('somebody-else-s-key-material-0123456789');
    const { token } = await signDecisionLink(other, request);
    expect(await readDecisionLink(TEST_KEYS, token, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a link at and after the second it expires, and reads it the second before', async () => {
    const { token, expiresAt } = await signDecisionLink(TEST_KEYS, request);
    const at = (ms: number) => new Date(expiresAt.getTime() + ms);
    expect(await readDecisionLink(TEST_KEYS, token, at(-1000))).toMatchObject({ ok: true });
    expect(await readDecisionLink(TEST_KEYS, token, at(0))).toEqual({ ok: false, reason: 'expired' });
    expect(await readDecisionLink(TEST_KEYS, token, at(86_400_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it("refuses an invitation's token: it is signed with the invitation key, not the decision key", async () => {
    const invitation = await signInvitation(
      TEST_KEYS,
      { channel: 'letter', campaignId: 'cmp-autumn-offer' },
      { issuedAt: NOW, expiresAt: minutes(60) },
    );
    expect(await readDecisionLink(TEST_KEYS, invitation, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a token of the decision key made for another purpose or by another issuer', async () => {
    const invitationAudience = await signWithDecisionKey({}, 'attract:lead-invitation');
    const otherIssuer = await signWithDecisionKey({}, 'attract:manager-decision', 'someone-else');
    for (const token of [invitationAudience, otherIssuer]) {
      expect(await readDecisionLink(TEST_KEYS, token, NOW)).toEqual({ ok: false, reason: 'wrong_purpose' });
    }
    const genuineShape = await signWithDecisionKey({}, 'attract:manager-decision');
    expect(await readDecisionLink(TEST_KEYS, genuineShape, NOW)).toMatchObject({ ok: true });
  });

  it('refuses a genuinely signed token whose claims are not a decision, and strings that are no token', async () => {
    const unknownAction = await signWithDecisionKey({ act: 'approve' }, 'attract:manager-decision');
    const noLead = await signWithDecisionKey({ lead: undefined }, 'attract:manager-decision');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${
      (await signDecisionLink(TEST_KEYS, request)).token.split('.')[1]
    }.`;
    for (const token of [unknownAction, noLead, unsigned, '', 'not-a-token', 'a.b.c', 'a.b.c.d']) {
      expect(await readDecisionLink(TEST_KEYS, token, NOW), token).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses the other spellings of the last signature character that base64url decoders accept', async () => {
    const { token } = await signDecisionLink(TEST_KEYS, request);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The last of 43 characters carries 4 bits of the signature and 2 spare ones: 3 other spellings.
    const base = alphabet.indexOf(token.at(-1) ?? '') & ~3;
    const twins = [0, 1, 2, 3].map((i) => alphabet[base + i]).filter((c) => c !== token.at(-1));
    expect(twins).toHaveLength(3);
    for (const twin of twins) {
      expect(await readDecisionLink(TEST_KEYS, `${token.slice(0, -1)}${twin}`, NOW)).toMatchObject({
        ok: false,
      });
    }
  });

  it('refuses every single-character change of a token', async () => {
    const { token } = await signDecisionLink(TEST_KEYS, request);
    const characters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...characters),
        async (position, character) => {
          fc.pre(token[position] !== character);
          const changed = `${token.slice(0, position)}${character}${token.slice(position + 1)}`;
          expect(await readDecisionLink(TEST_KEYS, changed, NOW)).toMatchObject({ ok: false });
        },
      ),
      { numRuns: 300 },
    );
  });
});
