import { Router } from 'express';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { createTokenSigner, createTokenVerifier, type Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { createLogger } from '@sanad/logger';
import {
  callerOf,
  createHttpApp,
  PUBLIC_ROUTES,
  registeredRoutes,
  sortRoutes,
  type RouteRef,
} from '../src';

const keys = generateKeyPairSync('ed25519');
const caller: Caller = {
  userId: '4f1c0d7e-1111-4a4a-8b8b-123456789abc',
  role: 'coach',
  programmeIds: [],
  employerId: null,
};

function app() {
  const router = Router();
  router.get('/things/:id', (req, res) => {
    res.json({ id: req.params.id, caller: callerOf(res) });
  });
  router.post('/things', (req, res) => {
    res.status(201).json({ body: req.body as unknown, userId: callerOf(res).userId });
  });
  const mounted = Router();
  mounted.delete('/:id', (_req, res) => {
    res.status(204).end();
  });
  const express = createHttpApp({
    logger: createLogger({ service: 'test', level: 'silent' }),
    readiness: {},
    verifier: createTokenVerifier(keys.publicKey, { audience: 'things' }),
    routes: [router],
  });
  return { express, mounted };
}

const bearer = async (audience = 'things', ttlSeconds = 60) =>
  `Bearer ${await createTokenSigner(keys.privateKey, { ttlSeconds }).sign(caller, audience)}`;

describe('authenticate, on every route but the probes and /metrics', () => {
  const { express } = app();

  it.each(PUBLIC_ROUTES.map((r) => r.path))('lets %s through without a token', async (path) => {
    const res = await request(express).get(path);
    expect(res.status).toBe(200);
  });

  it('puts the verified caller where callerOf finds it', async () => {
    const res = await request(express)
      .get('/things/7')
      .set('authorization', await bearer());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '7', caller });
  });

  it('takes the scheme in any case', async () => {
    const token = (await bearer()).slice('Bearer '.length);
    const res = await request(express).get('/things/7').set('authorization', `bEaReR ${token}`);
    expect(res.status).toBe(200);
  });

  const refused = async (
    authorization: string | undefined,
    path = '/things/7',
    method: 'get' | 'post' = 'get',
  ) => {
    let req = request(express)[method](path);
    if (authorization !== undefined) req = req.set('authorization', authorization);
    if (method === 'post') req = req.set('content-type', 'application/json').send('{"broken":');
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    return res.body.error.message as string;
  };

  it('answers 401 with WWW-Authenticate: Bearer to a missing or malformed header', async () => {
    expect(await refused(undefined)).toMatch(/service token is required/);
    expect(await refused('Basic dXNlcjpwYXNz')).toMatch(/not "Bearer <token>"/);
    expect(await refused('Bearer')).toMatch(/not "Bearer <token>"/);
    expect(await refused('Bearer a b')).toMatch(/not "Bearer <token>"/);
  });

  it('answers 401 to a token that is expired, for another service, or not a token', async () => {
    expect(await refused(await bearer('things', -60))).toBe('token expired');
    expect(await refused(await bearer('other'))).toBe('token aud is not accepted');
    expect(await refused('Bearer not.a.token')).toBe('token is invalid');
  });

  it('checks the token before reading the body, and on paths that do not exist', async () => {
    expect(await refused(undefined, '/things', 'post')).toMatch(/required/);
    expect(await refused(undefined, '/nothing-here')).toMatch(/required/);
  });
});

describe('callerOf', () => {
  it('fails closed when no caller was authenticated', () => {
    expect(() => callerOf({ locals: {} } as never)).toThrow(AppError);
  });
});

describe('registeredRoutes', () => {
  it('finds every route of every router, with the probes', () => {
    const { express, mounted } = app();
    express.use('/mounted', mounted);
    const expected: RouteRef[] = [
      ...PUBLIC_ROUTES,
      { method: 'GET', path: '/things/:id' },
      { method: 'POST', path: '/things' },
      { method: 'DELETE', path: '/mounted/:id' },
    ];
    expect(registeredRoutes(express)).toEqual(sortRoutes(expected));
  });
});
