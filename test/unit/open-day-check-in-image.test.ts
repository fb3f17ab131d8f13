import { describe, expect, it } from 'vitest';
import { checkInImage } from '#shared/open-days/check-in-image.ts';
import { CHECK_IN_IMAGE_ID, confirmed, reminder } from '#shared/open-days/registrant-email.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import { escapeHtml } from '#shared/templates/render.ts';
import {
  AT,
  anOpenDay,
  aRegistration,
  marketingWithdrawal,
  now,
  scanned,
  sender,
} from './support/open-days.ts';

// A check-in code is a compact JWS of about 250 characters.
const CODE = `eyJhbGciOiJIUzI1NiJ9.${'eyJvIjoib2QtMSIsInIiOiJyZWctN2YzYSJ9'.repeat(5)}.${'x'.repeat(43)}`;
const links = { giveUp: 'https://api.bank.example/r/give-up' };

describe('the check-in QR code', () => {
  it('holds the code exactly, as a real QR decoder reads it', async () => {
    const image = await checkInImage(CODE);
    expect(Buffer.from(image).subarray(1, 4).toString()).toBe('PNG');
    expect(scanned(image)).toBe(CODE);
  });

  it.each(['ru', 'en'] as const)(
    'is shown in the confirmation and the reminder (%s) as an inline image beside the code as text',
    async (language) => {
      const image = await checkInImage(CODE);
      const input = {
        openDay: anOpenDay(),
        registration: aRegistration({ language, registeredAt: AT }),
        sender,
        marketingWithdrawal,
        now,
        links,
        checkInCode: CODE,
        checkInImage: image,
      };
      const e = catalogs[language].openDayEmail;
      for (const email of [confirmed({ ...input, hosts: [] }), reminder(input)]) {
        const shown = email.attachments?.find((file) => file.inline?.contentId === CHECK_IN_IMAGE_ID);
        expect(shown).toMatchObject({ fileName: 'check-in.png', contentType: 'image/png' });
        expect(scanned(shown?.content as Uint8Array)).toBe(CODE);
        expect(email.html).toContain(`<img src="cid:${CHECK_IN_IMAGE_ID}" alt="${e.checkInQrAlt}"`);
        expect(email.html).toContain(escapeHtml(e.checkInQr));
        // A plain-text reader gets the code as text; the invite still goes with it.
        expect(email.text).toContain(CODE);
        expect(email.attachments?.map((file) => file.fileName)).toEqual(['check-in.png', 'invite.ics']);
      }
    },
  );
});
