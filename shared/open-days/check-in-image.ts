import QRCode from 'qrcode';

/**
 * The check-in code as a QR code the door's scanner reads (a PNG, shown inline in the confirmation and the
 * reminder): error correction M (a smudged or cracked screen still scans) and the four-module quiet zone
 * the standard asks for. The code is a signed token (docs/open-days.md, "Check-in"): the image holds it
 * as it is, nothing more.
 */
export const checkInImage = async (code: string): Promise<Uint8Array> =>
  QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 });
