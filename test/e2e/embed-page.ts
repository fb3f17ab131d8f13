import { randomUUID } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { api, call, clientAddress } from './client.ts';

/** A text field, or a ticked checkbox (`products`). */
type Field = { name: string; value: string; type?: 'text' | 'checkbox' };

/**
 * A page of the bank's site at `pageUrl` with one lead form, as far as the embeddable script reads it: the
 * script is the one the API serves, run as a browser runs it; the form's submission goes to the local API
 * (checked against its description, from a client address of its own). Answers the body the script posted
 * and what it showed the visitor.
 */
export async function submitThroughEmbeddedForm(
  pageUrl: string,
  fields: Field[],
  consents: { purpose: string; version: string }[],
) {
  const script = await call('GET', '/v1/embed.js');
  const listeners = new Map<string, (event: object) => void>();
  const outcome = { textContent: '', className: '', setAttribute() {} };
  const form = {
    dataset: { attractForm: 'lead' },
    elements: [
      ...fields.map((f) => ({ type: 'text', ...f, checked: true, disabled: false, dataset: {} })),
      ...consents.map((c) => ({
        type: 'checkbox',
        disabled: false,
        checked: true,
        value: c.version,
        dataset: { consent: c.purpose },
      })),
    ],
    addEventListener: (type: string, listener: (event: object) => void) => listeners.set(type, listener),
    querySelector: (selector: string) => (selector === '[data-attract-outcome]' ? outcome : null),
    querySelectorAll: () => [],
    appendChild() {},
  };
  let posted: unknown;
  let answered: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    answered = resolve;
  });
  const from = clientAddress();
  const fetch = async (url: URL, init: { method: string; headers: Record<string, string>; body: string }) => {
    posted = JSON.parse(init.body);
    const reply = await call(init.method, url.pathname, { body: init.body, headers: init.headers, from });
    return { status: reply.status, json: async () => reply.body };
  };
  runInNewContext(String(script.body), {
    document: {
      currentScript: { src: new URL('/v1/embed.js', api()).toString() },
      referrer: '',
      readyState: 'complete',
      documentElement: { lang: 'ru' },
      querySelectorAll: () => [form],
      createElement: () => outcome,
    },
    location: new URL(pageUrl),
    URL,
    URLSearchParams,
    crypto: { randomUUID },
    fetch,
  });
  listeners.get('submit')?.({ preventDefault() {} });
  // The script shows "sending" first, then the answer.
  const poll = setInterval(() => outcome.className !== 'attract-sending' && answered(), 20);
  await done;
  clearInterval(poll);
  return { posted: posted as { source: Record<string, unknown> }, shown: outcome.textContent };
}
