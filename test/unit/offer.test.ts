import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, NewOfferInput, OFFER_LIMITS, problemsOf } from '#shared/offers/offer.ts';
import { anEnglishLetter, anOfferInput, aRussianLetter } from './support/offers.ts';

/** Why an offer is refused, as `path:reason`. */
const problems = (input: unknown) => {
  const parsed = NewOfferInput.safeParse(input);
  return parsed.success ? [] : problemsOf(parsed.error).map((p) => `${p.path}:${p.reason}`);
};
const withRussian = (part: 'subject' | 'html' | 'text', value: string) => ({
  ...anOfferInput(),
  content: { ru: { ...aRussianLetter(), [part]: value } },
});
const html = (value: string) => problems(withRussian('html', value));

describe('an offer’s validation', () => {
  it('takes a letter that uses every variable, in Russian alone or with English', () => {
    expect(problems(anOfferInput())).toEqual([]);
    expect(problems({ ...anOfferInput(), content: { ru: aRussianLetter(), en: anEnglishLetter() } })).toEqual(
      [],
    );
  });

  it('needs Russian, and a subject and both bodies in each language', () => {
    expect(problems({ ...anOfferInput(), content: { en: anEnglishLetter() } })).toEqual([
      'content.ru:required',
    ]);
    expect(problems(withRussian('html', '  '))).toEqual(['content.ru.html:required']);
    expect(problems(withRussian('text', ''))).toEqual(['content.ru.text:required']);
    expect(
      problems({
        ...anOfferInput(),
        content: { ru: aRussianLetter(), en: { ...anEnglishLetter(), subject: '' } },
      }),
    ).toEqual(['content.en.subject:required']);
    expect(problems({ ...anOfferInput(), content: { ru: aRussianLetter(), de: anEnglishLetter() } })).toEqual(
      ['content:unknown_key'],
    );
    expect(problems({ ...anOfferInput(), name: '' })).toEqual(['name:required']);
  });

  it('refuses an unknown variable and a brace that is part of no variable, naming the part', () => {
    expect(problems(withRussian('subject', '{company}: {discount}% скидка'))).toEqual([
      'content.ru.subject:unknown_variable',
    ]);
    expect(problems(withRussian('text', 'Здравствуйте, {contact'))).toEqual([
      'content.ru.text:unbalanced_brace',
    ]);
    expect(problems(withRussian('text', 'Здравствуйте, contact}'))).toEqual([
      'content.ru.text:unbalanced_brace',
    ]);
    expect(html('<p>{{company}}</p>')).toEqual(['content.ru.html:unbalanced_brace']);
    expect(html('<p>{компания}</p>')).toEqual(['content.ru.html:unbalanced_brace']);
    const [message] = problemsOf(NewOfferInput.safeParse(withRussian('text', '{inn}')).error as never);
    expect(message?.message).toBe(
      '{inn} is no variable: use {company}, {contact}, {manager}, {managerEmail}, {managerPhone}',
    );
  });

  it('keeps a subject on one line and every part within its size', () => {
    expect(problems(withRussian('subject', 'Предложение\r\nBcc: all@example.com'))).toEqual([
      'content.ru.subject:line_break',
    ]);
    expect(problems(withRussian('subject', 'я'.repeat(OFFER_LIMITS.subject + 1)))).toEqual([
      'content.ru.subject:too_long',
    ]);
    expect(html(`<p>${'я'.repeat(OFFER_LIMITS.html)}</p>`)).toEqual(['content.ru.html:too_long']);
    expect(problems(withRussian('text', 'я'.repeat(OFFER_LIMITS.text + 1)))).toEqual([
      'content.ru.text:too_long',
    ]);
  });

  it('refuses script, frames, event handlers and script URLs however they are written', () => {
    expect(html('<p>Hi</p><script>alert(1)</script>')).toEqual([
      'content.ru.html:forbidden_tag',
      'content.ru.html:forbidden_tag',
    ]);
    expect(html('<SCRIPT src="https://x.example/a.js"></SCRIPT>')).toEqual([
      'content.ru.html:forbidden_tag',
      'content.ru.html:forbidden_tag',
    ]);
    expect(html('<iframe src="https://evil.example"></iframe>')).toEqual([
      'content.ru.html:forbidden_tag',
      'content.ru.html:forbidden_tag',
    ]);
    expect(html('<img src="https://bank.example/logo.png" onerror="alert(1)">')).toEqual([
      'content.ru.html:event_handler',
    ]);
    expect(html('<p ONCLICK="x()">a</p>')).toEqual(['content.ru.html:event_handler']);
    expect(html('<a href="javascript:alert(1)">a</a>')).toEqual(['content.ru.html:javascript_url']);
    expect(html('<a href=" JaVaScRiPt:alert(1)">a</a>')).toEqual(['content.ru.html:javascript_url']);
    expect(html('<a href="&#106;avascript&#x3A;alert(1)">a</a>')).toEqual(['content.ru.html:javascript_url']);
    expect(html('<a href="java\tscript:alert(1)">a</a>')).toEqual(['content.ru.html:javascript_url']);
    expect(html('<img src="data:image/svg+xml;base64,AAAA">')).toEqual(['content.ru.html:javascript_url']);
  });

  it('keeps to the allow-list: tags, attributes, quoted values, URL schemes, plain styles', () => {
    expect(html('<form action="https://x.example"><input name="a"></form>')).toEqual([
      'content.ru.html:forbidden_tag',
      'content.ru.html:forbidden_tag',
      'content.ru.html:forbidden_tag',
    ]);
    expect(html('<marquee>a</marquee>')).toEqual([
      'content.ru.html:tag_not_allowed',
      'content.ru.html:tag_not_allowed',
    ]);
    expect(html('<p class="x">a</p>')).toEqual(['content.ru.html:attribute_not_allowed']);
    expect(html('<a href="https://bank.example" target="_top">a</a>')).toEqual([
      'content.ru.html:attribute_not_allowed',
    ]);
    expect(html('<p title=a>a</p>')).toEqual(['content.ru.html:unquoted_attribute']);
    expect(html('<a href="http://bank.example">a</a>')).toEqual(['content.ru.html:url_scheme']);
    expect(html('<img src="mailto:a@bank.example">')).toEqual(['content.ru.html:url_scheme']);
    expect(html('<a href="https://bank.example/?c={company}">a</a>')).toEqual([
      'content.ru.html:variable_in_url',
    ]);
    expect(html('<p style="background:url(https://t.example/p.gif)">a</p>')).toEqual([
      'content.ru.html:unsafe_style',
    ]);
    expect(html('<p style="color:{company}">a</p>')).toEqual(['content.ru.html:unsafe_style']);
    expect(html('<p>a < b</p>')).toEqual(['content.ru.html:malformed_tag']);
    expect(html('<!-- [if mso]>hidden<![endif] --><p>a</p>')).toEqual(['content.ru.html:comment']);
    expect(html('<!doctype html><p>a</p>')).toEqual(['content.ru.html:declaration']);
    expect(html('<p>a</p x="1">')).toEqual(['content.ru.html:malformed_tag']);
  });

  it('takes the markup of an ordinary letter', () => {
    expect(
      html(
        '<table width="100%" cellpadding="4"><tr><td align="left" style="color:#333;font-size:14px">' +
          '<h2>Расчётный счёт</h2><ul><li><b>0 ₽</b> за открытие</li></ul><br/><hr>' +
          '<a href="https://bank.example/business" target="_blank">Подробнее</a> ' +
          '<a href="tel:+74951234567">позвонить</a> <img src="https://bank.example/logo.png" alt="{company}"></td></tr></table>',
      ),
    ).toEqual([]);
  });
});

describe('a version’s hash', () => {
  it('is the SHA-256 of canonical JSON: the same content in any key order, any change another hash', () => {
    const letter = aRussianLetter();
    const reordered = { text: letter.text, html: letter.html, subject: letter.subject };
    expect(contentHash({ ru: reordered })).toBe(contentHash({ ru: letter }));
    expect(contentHash({ ru: letter })).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ru: { ...letter, text: `${letter.text} ` } })).not.toBe(contentHash({ ru: letter }));
    expect(contentHash({ ru: letter, en: anEnglishLetter() })).not.toBe(contentHash({ ru: letter }));
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: undefined }] })).toBe('{"a":[{"d":"x"}],"b":1}');
  });
});
