import { ProspectImportError } from './column-mapping.ts';

/**
 * An uploaded file as text, chunk by chunk: UTF-8 (a byte order mark dropped), every line break as `\n`.
 * What is not UTF-8 text is refused at the line it is on: a spreadsheet (xlsx is a zip), a UTF-16 export,
 * or a CSV saved in Windows-1251, which Russian Excel writes unless told "CSV UTF-8".
 */
export async function* textOf(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  let first = true;
  // A chunk that ends in \r may be half of a \r\n.
  let pendingCr = false;

  const check = (text: string) => {
    const found = [text.indexOf('\uFFFD'), text.indexOf('\u0000')].filter((i) => i >= 0);
    const bad = found.length > 0 ? Math.min(...found) : -1;
    if (bad >= 0) {
      const at = line + (text.slice(0, bad).match(/\n/g)?.length ?? 0);
      if (text[bad] === '\u0000') {
        throw new ProspectImportError('binary', 'the file is binary, not text: save it as CSV UTF-8', {
          line: at,
        });
      }
      throw new ProspectImportError(
        'not_utf8',
        'the file is not UTF-8 text (Windows-1251?): save it as "CSV UTF-8"',
        { line: at },
      );
    }
  };

  const normalise = (decoded: string): string => {
    let text = (pendingCr ? '\r' : '') + decoded;
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    text = text.replace(/\r\n?/g, '\n');
    check(text);
    line += text.match(/\n/g)?.length ?? 0;
    return text;
  };

  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      const text = normalise(first && chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk);
      first = false;
      if (text !== '') yield text;
      continue;
    }
    if (
      first &&
      chunk.length >= 2 &&
      ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    ) {
      throw new ProspectImportError('not_utf8', 'the file is UTF-16 text: save it as "CSV UTF-8"', {
        line: 1,
      });
    }
    first = false;
    const text = normalise(decoder.decode(chunk, { stream: true }));
    if (text !== '') yield text;
  }
  const rest = normalise(decoder.decode());
  const tail = rest + (pendingCr ? '\n' : '');
  if (tail !== '') yield tail;
}

/** Text chunks as lines without their `\n`, each with its number; a line longer than `maxChars` is refused. */
export async function* linesOf(
  text: AsyncIterable<string>,
  maxChars: number,
): AsyncGenerator<{ line: number; text: string }> {
  let buffered = '';
  let line = 1;
  for await (const chunk of text) {
    buffered += chunk;
    let end = buffered.indexOf('\n');
    while (end >= 0) {
      yield { line, text: buffered.slice(0, end) };
      line++;
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf('\n');
    }
    if (buffered.length > maxChars) {
      throw new ProspectImportError('record_too_large', `a line longer than ${maxChars} characters`, {
        line,
      });
    }
  }
  if (buffered !== '') yield { line, text: buffered };
}
