/**
 * A software WebAuthn authenticator for tests: real ES256 (P-256) keys from node:crypto, 'none'
 * attestation, CBOR written here (independently of the verifier's decoder), so the hub's
 * verification is exercised by a real cryptographic round trip, not a mock.
 */
import crypto from 'node:crypto';

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

/** The few CBOR major types an attestation object needs (RFC 8949 §3.1). */
export function cborEncode(value: Cbor): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cborEncode(k), cborEncode(v));
  return Buffer.concat(parts);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => crypto.createHash('sha256').update(b).digest();

interface Key {
  privateKey: crypto.KeyObject;
  counter: number;
  userHandle: string;
}

export interface CreationOptions {
  challenge: string;
  user: { id: string };
}
export interface RequestOptions {
  challenge: string;
  allowCredentials?: { id: string }[] | undefined;
}

export class SoftwareAuthenticator {
  readonly keys = new Map<string, Key>();
  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {}

  /** Answers `navigator.credentials.create()`: a new key pair, attested with fmt 'none'. */
  create(options: CreationOptions) {
    const credentialId = crypto.randomBytes(16);
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
    const coseKey = new Map<number, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([sha256(this.rpId), Buffer.from([0x45]) /* UP | UV | AT */, Buffer.alloc(4), Buffer.alloc(16) /* AAGUID */, idLength, credentialId, cborEncode(coseKey)]);
    const attestationObject = cborEncode(new Map<string, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    const id = b64url(credentialId);
    this.keys.set(id, { privateKey, counter: 0, userHandle: options.user.id });
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['usb' as const] },
      clientExtensionResults: {},
    };
  }

  /** Answers `navigator.credentials.get()` with the first allowed key this authenticator holds. */
  get(options: RequestOptions, tamper: { origin?: string } = {}) {
    const id = options.allowCredentials?.map((c) => c.id).find((c) => this.keys.has(c));
    if (!id) throw new Error('no allowed credential on this authenticator');
    const key = this.keys.get(id)!;
    key.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(key.counter);
    const authenticatorData = Buffer.concat([sha256(this.rpId), Buffer.from([0x05]) /* UP | UV */, counter]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: tamper.origin ?? this.origin, crossOrigin: false }));
    // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON); node signs in DER, as WebAuthn wants.
    const signature = crypto.sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), key.privateKey);
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature), userHandle: key.userHandle },
      clientExtensionResults: {},
    };
  }
}
