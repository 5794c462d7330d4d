import { openApiPath, registeredRoutes } from '@sanad/service-kit';
import { dropDatabases, serviceTestEnv } from '@sanad/testing';
import { loadConfig } from '../src/config';
import { placementOpenApiDocument } from '../src/http/openapi';
import { startPlacementService } from '../src/main';

/** GET /openapi.json on the real service: public, and describing exactly what the app serves. */
describe('GET /openapi.json', () => {
  const env = serviceTestEnv('placement');
  let service: Awaited<ReturnType<typeof startPlacementService>>;
  let url: string;

  beforeAll(async () => {
    service = await startPlacementService(loadConfig(env));
    url = `http://127.0.0.1:${service.port}`;
  });
  afterAll(async () => {
    await service.stop();
    await dropDatabases([env.MONGO_DB]);
  });

  it('answers the OpenAPI 3.1 document without a token', async () => {
    const res = await fetch(`${url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { openapi: string };
    expect(body.openapi).toBe('3.1.0');
    expect(body).toEqual(JSON.parse(JSON.stringify(placementOpenApiDocument())));
  });

  it('ignores a bad token there, while the documented API still asks for one', async () => {
    const bad = { authorization: 'Bearer not-a-token' };
    expect((await fetch(`${url}/openapi.json`, { headers: bad })).status).toBe(200);
    expect((await fetch(`${url}/placements`)).status).toBe(401);
  });

  it('documents every route the app registers, and only those', async () => {
    const body = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(body.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = registeredRoutes(service.app)
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    expect(documented).toEqual(served);
  });
});
