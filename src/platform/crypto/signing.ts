/** Ed25519 signatures for audit seals: anyone with the public key can check a seal. */
import crypto from 'node:crypto';

export class Signer {
  readonly #privateKey: crypto.KeyObject;
  readonly publicKeyPem: string;
  constructor(
    readonly keyId: string,
    privateKeyPem: string,
  ) {
    this.#privateKey = crypto.createPrivateKey(privateKeyPem);
    this.publicKeyPem = crypto.createPublicKey(this.#privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(message: string): string {
    return crypto.sign(null, Buffer.from(message), this.#privateKey).toString('base64');
  }

  verify(message: string, signature: string): boolean {
    return crypto.verify(null, Buffer.from(message), this.publicKeyPem, Buffer.from(signature, 'base64'));
  }
}
