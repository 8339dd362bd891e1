/**
 * A real OpenID provider for tests (oidc-provider v9) on 127.0.0.1 and a random port, with one
 * client and synthetic people. Its login and consent pages are replaced by a handler that
 * finishes each interaction at once as `nextLogin` says (who, which amr/acr): the flow still runs
 * through the provider's real authorization, token, userinfo and JWKS endpoints.
 * A small cookie-keeping `Browser` follows the redirects as a user agent would.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestPerson {
  sub: string;
  email: string;
  email_verified: boolean;
  given_name: string;
  family_name: string;
}

export interface TestOidcProvider {
  issuer: string;
  /** Who the next login interaction authenticates, and how. */
  nextLogin: { accountId: string; amr?: string[]; acr?: string };
  close(): Promise<void>;
}

export async function startTestOidcProvider(options: { clientId: string; clientSecret: string; redirectUri: string; people: TestPerson[] }): Promise<TestOidcProvider> {
  let provider: Provider | null = null;
  const state: TestOidcProvider = { issuer: '', nextLogin: { accountId: '' }, close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    if (req.url?.startsWith('/interaction/')) {
      finishInteraction(provider, req, res, state.nextLogin).catch((err: unknown) => res.writeHead(500).end(String(err)));
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  provider = new Provider(state.issuer, {
    clients: [{ client_id: options.clientId, client_secret: options.clientSecret, redirect_uris: [options.redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    async findAccount(_ctx: unknown, id: string) {
      const person = options.people.find((p) => p.sub === id);
      return person ? { accountId: id, claims: async () => ({ ...person }) } : undefined;
    },
    // amr/acr ride in the ID token only when a scope lists them.
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    scopes: ['openid', 'email', 'profile'],
    acrValues: ['eidas1', 'eidas2'],
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    jwks: { keys: [{ ...signingKey, kid: 'test-key', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  });
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

async function finishInteraction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, next: TestOidcProvider['nextLogin']): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: next.accountId, ...(next.amr ? { amr: next.amr } : {}), ...(next.acr ? { acr: next.acr } : {}) } }, { mergeWithLastSubmission: false });
    return;
  }
  // Consent: grant what the client asked for.
  const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
  const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
  if (missingOIDCScope?.length) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

/** A user agent: keeps cookies and follows redirects until `stop` says the next URL is not for it. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async follow(start: string, stop: (url: URL) => boolean): Promise<URL> {
    let url = new URL(start);
    for (let hop = 0; hop < 20; hop++) {
      if (stop(url)) return url;
      const res = await fetch(url, { redirect: 'manual', headers: this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider stopped at ${url.href} with ${res.status}: ${(await res.text()).slice(0, 500)}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }
}
