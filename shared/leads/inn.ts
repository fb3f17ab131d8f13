/** Russian taxpayer number (ИНН): 10 digits for a legal entity, 12 for an individual entrepreneur. */

const WEIGHTS_10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (const [i, weight] of weights.entries()) sum += weight * Number(digits[i]);
  return (sum % 11) % 10;
}

export function isValidInn(value: string): boolean {
  if (/^\d{10}$/.test(value)) return checkDigit(value, WEIGHTS_10) === Number(value[9]);
  if (/^\d{12}$/.test(value)) {
    return (
      checkDigit(value, WEIGHTS_11) === Number(value[10]) &&
      checkDigit(value, WEIGHTS_12) === Number(value[11])
    );
  }
  return false;
}

/** The subject of the Russian Federation that issued the number, e.g. '77' Moscow, '78' St Petersburg. */
export function regionCodeOfInn(inn: string): string {
  // A silent wrong region would misroute the lead, so a malformed number is a bug to surface.
  if (!/^(\d{10}|\d{12})$/.test(inn)) throw new RangeError('Not a 10 or 12 digit INN');
  return inn.slice(0, 2);
}

/** Appends the check digit to the first nine digits of a legal entity's INN (demo data, tests). */
export function completeInn10(first9Digits: string): string {
  if (!/^\d{9}$/.test(first9Digits)) throw new RangeError('Expected exactly 9 digits');
  return `${first9Digits}${checkDigit(first9Digits, WEIGHTS_10)}`;
}
