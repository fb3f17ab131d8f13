import { en } from '../templates/en.ts';
import { ru } from '../templates/ru.ts';

/**
 * The script the bank's site includes to post its forms to Attract (`GET /v1/embed.js`, docs/web-forms.md):
 *
 *   <script src="https://<api>/v1/embed.js" defer></script>
 *   <form data-attract-form="lead"> ... </form>
 *   <form data-attract-form="open-day" data-open-day-id="<id>"> ... </form>
 *
 * Fields are named by their place in the JSON body (`company.inn`, `contact.email`); checkboxes sharing a
 * name make a list (`products`); a consent is a checkbox `data-consent="<purpose>"` whose value is the
 * text version. To the fields it adds `source`: the page address's UTM values, `document.referrer` and the
 * page itself as the landing page, both as origin and path only (the API drops the rest anyway), and the
 * referral code of a referral link (`ref`; a `source.referralCode` field of the form wins). It posts
 * JSON to the API the script came from, and shows the answer, or marks the fields the API names. No
 * framework, and nothing the visitor or the API wrote goes into HTML: texts are set as text.
 */
const SOURCE = String.raw`(function () {
  'use strict';
  var TEXTS = __TEXTS__;
  var script = document.currentScript;
  // The API is where this script came from: /v1/embed.js sits beside /v1/leads.
  var api = new URL('.', script ? script.src : location.href);
  var UTM = ['source', 'medium', 'campaign', 'term', 'content'];

  /** An http(s) address as origin and path, at most 2048 characters; anything else is left out. */
  function page(address) {
    try {
      var url = new URL(address);
      var kept = url.origin + url.pathname;
      return /^https?:$/.test(url.protocol) && kept.length <= 2048 ? kept : undefined;
    } catch (e) {
      return undefined;
    }
  }

  function sourceOfPage() {
    var params = new URLSearchParams(location.search);
    var utm = {};
    var found = false;
    UTM.forEach(function (key) {
      var value = params.get('utm_' + key);
      if (value) {
        utm[key] = value.slice(0, 200);
        found = true;
      }
    });
    var source = {};
    if (found) source.utm = utm;
    var referrer = document.referrer && page(document.referrer);
    if (referrer) source.referrer = referrer;
    var landing = page(location.href);
    if (landing) source.landingPage = landing;
    // A referral link is the bank's landing page with the client's code in ref (docs/referrals.md).
    var ref = params.get('ref');
    if (ref && /^[A-Za-z0-9_-]{4,64}$/.test(ref)) source.referralCode = ref;
    return source;
  }

  function put(body, path, value) {
    var keys = path.split('.');
    var at = body;
    for (var i = 0; i < keys.length - 1; i++) {
      if (typeof at[keys[i]] !== 'object' || at[keys[i]] === null) at[keys[i]] = {};
      at = at[keys[i]];
    }
    at[keys[keys.length - 1]] = value;
  }

  function bodyOf(form) {
    var body = {};
    var lists = {};
    var consents = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.disabled) return;
      if (field.type === 'checkbox' && field.dataset.consent) {
        consents.push({ purpose: field.dataset.consent, granted: field.checked, textVersion: field.value });
        return;
      }
      if (!field.name) return;
      if (field.type === 'checkbox') {
        lists[field.name] = lists[field.name] || [];
        if (field.checked) lists[field.name].push(field.value);
        return;
      }
      if (field.type === 'radio' && !field.checked) return;
      if (field.type === 'submit' || field.type === 'button') return;
      var value = String(field.value || '').trim();
      if (value) put(body, field.name, value);
    });
    Object.keys(lists).forEach(function (name) {
      put(body, name, lists[name]);
    });
    if (consents.length) body.consents = consents;
    var source = sourceOfPage();
    Object.keys(body.source || {}).forEach(function (key) {
      source[key] = body.source[key];
    });
    body.source = source;
    return body;
  }

  /** The page's language: the form's data-language, else <html lang>; Russian unless it is English. */
  function languageOf(form) {
    var language = form.dataset.language || document.documentElement.lang || 'ru';
    return /^en\b/i.test(language) ? 'en' : 'ru';
  }

  function outcomeOf(form) {
    var outcome = form.querySelector('[data-attract-outcome]');
    if (!outcome) {
      outcome = document.createElement('p');
      outcome.setAttribute('data-attract-outcome', '');
      outcome.setAttribute('role', 'status');
      form.appendChild(outcome);
    }
    return outcome;
  }

  function show(form, kind, text) {
    var outcome = outcomeOf(form);
    outcome.className = 'attract-' + kind;
    outcome.textContent = text;
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid]'), function (field) {
      field.removeAttribute('aria-invalid');
    });
    Array.prototype.forEach.call(form.querySelectorAll('[data-attract-error]'), function (note) {
      note.remove();
    });
  }

  /** The field an issue's path names: the path itself, or the list it is an item of (products.1). */
  function fieldOf(form, path) {
    var parts = path.split('.');
    while (parts.length) {
      var name = parts.join('.');
      if (name === 'consents') return form.querySelector('[data-consent]');
      var field = form.querySelector('[name="' + CSS.escape(name) + '"]');
      if (field) return field;
      parts.pop();
    }
    return null;
  }

  function markFields(form, issues, texts) {
    issues.forEach(function (issue) {
      var field = fieldOf(form, String(issue.path || ''));
      if (!field || field.getAttribute('aria-invalid') === 'true') return;
      field.setAttribute('aria-invalid', 'true');
      var note = document.createElement('span');
      note.setAttribute('data-attract-error', issue.path);
      note.className = 'attract-field-error';
      note.textContent = texts.invalidField;
      field.insertAdjacentElement('afterend', note);
    });
  }

  function answer(form, status, body, texts) {
    var error = (body && body.error) || {};
    if (status === 202) return show(form, 'ok', texts.leadAccepted);
    if ((status === 200 || status === 201) && body && texts.registration[body.status]) {
      return show(form, 'ok', texts.registration[body.status]);
    }
    if (status === 400 && error.issues) {
      markFields(form, error.issues, texts);
      return show(form, 'error', texts.invalid);
    }
    if (status === 429) return show(form, 'error', error.code === 'too_many_enquiries' ? texts.tooManyEnquiries : texts.rateLimited);
    if (status === 409 && error.code === 'registration_closed') return show(form, 'error', texts.registrationClosed);
    if (status === 404) return show(form, 'error', texts.notFound);
    show(form, 'error', texts.failed);
  }

  function attach(form) {
    // One key per filled-in form: a retried submit is answered with the first answer, not a second lead.
    var key = crypto.randomUUID();
    form.addEventListener('input', function () {
      key = crypto.randomUUID();
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var language = languageOf(form);
      var texts = TEXTS[language];
      var openDay = form.dataset.attractForm === 'open-day';
      var route = openDay
        ? 'open-days/' + encodeURIComponent(form.dataset.openDayId || '') + '/registrations'
        : 'leads';
      var body = bodyOf(form);
      // A registrant's emails come in the page's language, unless the form asks.
      if (openDay && !body.language) body.language = language;
      clearErrors(form);
      show(form, 'sending', texts.sending);
      fetch(new URL(route, api), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      })
        .then(function (response) {
          return response.json().then(
            function (body) { answer(form, response.status, body, texts); },
            function () { answer(form, response.status, null, texts); },
          );
        })
        .catch(function () {
          show(form, 'error', texts.failed);
        });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-attract-form]'), attach);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;

/** The script with the visitor's texts from the catalogs, Russian and English, as JSON it reads. */
export const embedScript = (): string =>
  SOURCE.replace('__TEXTS__', JSON.stringify({ ru: ru.embedForm, en: en.embedForm }));
