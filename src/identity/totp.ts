/**
 * TOTP second factor (RFC 6238, 30 s, 6 digits, SHA-1 as every authenticator app expects).
 * A code is accepted once: the time step it used is remembered, so a replayed code fails.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string, issuer: string): string {
  return generateURI({ issuer, label: account, secret });
}

export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/** The current code at `at` (demo accounts, tests). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * Checks a code against the steps around `at` (±1 step of clock drift). Returns the time step
 * it matched, or null; a step at or before `lastStep` is a replay and fails.
 */
export async function checkTotp(secret: string, code: string, at: Date, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(at.getTime() / 1000);
  const result = await verify({ secret, token: code, epoch, epochTolerance: PERIOD });
  if (!result.valid) return null;
  const step = Math.floor(epoch / PERIOD) + ('delta' in result && typeof result.delta === 'number' ? result.delta : 0);
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
