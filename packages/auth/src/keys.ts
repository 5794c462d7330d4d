import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';

/**
 * Service-token keys travel in the environment as one-line Ed25519 JWKs: the web app holds the
 * private key (SERVICE_TOKEN_PRIVATE_KEY), every service the public one (SERVICE_TOKEN_PUBLIC_KEY).
 */
const OkpJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(40),
});
const PublicJwk = OkpJwk.strict();
const PrivateJwk = OkpJwk.extend({ d: z.string().min(40) }).strict();

/** A zod type for an env variable holding an Ed25519 public JWK; parses to a KeyObject. */
export const PublicKeyEnv = jwkEnv(PublicJwk, (jwk) =>
  createPublicKey({ key: jwk, format: 'jwk' }),
);
/** A zod type for an env variable holding an Ed25519 private JWK; parses to a KeyObject. */
export const PrivateKeyEnv = jwkEnv(PrivateJwk, (jwk) =>
  createPrivateKey({ key: jwk, format: 'jwk' }),
);

function jwkEnv<T extends z.ZodType>(shape: T, toKey: (jwk: z.infer<T> & object) => KeyObject) {
  return z.string().transform((text, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'an Ed25519 JWK as one line of JSON' });
      return z.NEVER;
    }
    const jwk = shape.safeParse(parsed);
    if (!jwk.success) {
      ctx.addIssue({ code: 'custom', message: 'an Ed25519 JWK (kty OKP, crv Ed25519)' });
      return z.NEVER;
    }
    return toKey(jwk.data as z.infer<T> & object);
  });
}

/** A fresh key pair as the two env values (for `npm start`'s first run and for tests). */
export function generateServiceTokenKeys(): { privateJwk: string; publicJwk: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateJwk: JSON.stringify(privateKey.export({ format: 'jwk' })),
    publicJwk: JSON.stringify(publicKey.export({ format: 'jwk' })),
  };
}
