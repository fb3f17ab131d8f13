import { describe, expect, it } from 'vitest';
import { contentHash, type OfferContent } from '#shared/offers/offer.ts';
import { letterLanguage, previewOffer, recipientOf, renderOffer } from '#shared/offers/render-offer.ts';
import { anEnglishLetter, aRecipient, aRussianLetter } from './support/offers.ts';

const versionOf = (content: OfferContent) => ({
  offerId: 'offer-1',
  version: 3,
  hash: contentHash(content),
  content,
});
const russianOnly = versionOf({ ru: aRussianLetter() });
const both = versionOf({ ru: aRussianLetter(), en: anEnglishLetter() });

describe('rendering an offer for a recipient', () => {
  it('fills every variable in the subject and both bodies, and names the version and hash it came from', () => {
    const letter = renderOffer(russianOnly, aRecipient());
    expect(letter).toEqual({
      offerId: 'offer-1',
      version: 3,
      hash: russianOnly.hash,
      language: 'ru',
      subject: 'ООО «Ромашка»: предложение о сотрудничестве',
      html:
        '<p>Здравствуйте, Анна Петрова!</p>\n<p>Банк предлагает ООО «Ромашка» расчётный счёт и зарплатный проект.</p>\n' +
        '<p title="Иван Иванов">Ваш персональный менеджер: Иван Иванов, <a href="mailto:office@bank.example">' +
        'office@bank.example</a>, +74951234567, i.ivanov@bank.example</p>',
      text:
        'Здравствуйте, Анна Петрова!\nБанк предлагает ООО «Ромашка» расчётный счёт.\n' +
        'Иван Иванов, +74951234567, i.ivanov@bank.example',
    });
  });

  it('escapes a hostile company name in the HTML body (text and attributes), keeps it plain elsewhere', () => {
    const company = "\"><script>alert('x')</script> & Co";
    const letter = renderOffer(russianOnly, aRecipient({ company, manager: '" onmouseover="x' }));
    expect(letter.html).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co');
    expect(letter.html).toContain('title="&quot; onmouseover=&quot;x"');
    expect(letter.html).not.toContain('<script>');
    expect(letter.text).toContain(company);
    expect(letter.subject).toBe(`${company}: предложение о сотрудничестве`);
  });

  it('keeps the subject on one line whatever the values hold', () => {
    const letter = renderOffer(russianOnly, aRecipient({ company: 'Ромашка\r\nBcc: all@example.com' }));
    expect(letter.subject).toBe('Ромашка Bcc: all@example.com: предложение о сотрудничестве');
  });

  it('writes in English only to a prospect who reads English and a version that has it; Russian otherwise', () => {
    expect(renderOffer(both, aRecipient(), 'en')).toMatchObject({
      language: 'en',
      subject: 'A cooperation offer for ООО «Ромашка»',
    });
    expect(renderOffer(russianOnly, aRecipient(), 'en')).toMatchObject({ language: 'ru' });
    expect(renderOffer(both, aRecipient(), 'ru').language).toBe('ru');
    expect(renderOffer(both, aRecipient()).language).toBe('ru');
    expect(letterLanguage(both, 'en')).toBe('en');
    expect(letterLanguage(russianOnly, 'en')).toBe('ru');
  });

  it('previews exactly what the recipient would get', () => {
    const sample = aRecipient({ company: 'ООО «Образец»' });
    expect(previewOffer(both, sample, 'en')).toEqual(renderOffer(both, sample, 'en'));
    expect(previewOffer(both, sample)).toEqual(renderOffer(both, sample, 'ru'));
  });

  it('takes the recipient from a prospect and the signatory', () => {
    const prospect = {
      company: { name: 'ООО «Ромашка»', inn: '5401000007', regionCode: '54' },
      contact: { name: 'Анна Петрова', email: 'a.petrova@romashka.ru' },
    };
    const signatory = { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' };
    expect(recipientOf(prospect, signatory)).toEqual(aRecipient());
  });
});
