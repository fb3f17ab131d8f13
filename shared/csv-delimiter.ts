/** Russian Excel saves CSV with ';' (',' is the decimal mark there); the header shows which one a file uses. */
export function csvDelimiterOf(headerLine: string): ',' | ';' {
  const count = (c: string) => headerLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}
