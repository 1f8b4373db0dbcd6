import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, environmentSchema } from './config.schema.js';

interface ComposeService {
  environment?: Record<string, string>;
  image?: string;
  build?: string;
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const apiServices = Object.entries(compose.services).filter(([, service]) => service.build);

/** Compose's `${VAR:-default}` takes its default; a required `${VAR:?…}` gets a stand-in secret. */
function interpolate(value: string): string {
  const match = /^\$\{(\w+)(?::-([^}]*))?(?::\?[^}]*)?\}$/.exec(value);
  if (!match) return value;
  return match[2] ?? `stand-in-secret-of-32-bytes-or-more-${match[1] ?? ''}`;
}

describe('docker-compose.yml', () => {
  it('runs two API instances behind nginx with PostgreSQL and Redis', () => {
    expect(apiServices.map(([name]) => name)).toEqual(['api1', 'api2']);
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    expect(compose.services.nginx?.image).toMatch(/^nginx:/);
  });

  it('sets only variables the config schema knows', () => {
    for (const [, service] of apiServices) {
      const unknown = Object.keys(service.environment ?? {}).filter(
        (name) => !(CONFIG_VARIABLES as string[]).includes(name),
      );
      expect(unknown).toEqual([]);
    }
  });

  it('sets values the config schema accepts (secrets stand in for the .env ones)', () => {
    for (const [, service] of apiServices) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([name, value]) => [
          name,
          interpolate(value),
        ]),
      );
      const parsed = environmentSchema.safeParse(env);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });
});

describe('deploy/nginx.conf', () => {
  const nginx = readFileSync('deploy/nginx.conf', 'utf8');

  it('balances over both API services', () => {
    for (const [name] of apiServices) expect(nginx).toContain(`server ${name}:3000`);
  });

  it('streams live events without buffering', () => {
    const events = /location = \/api\/events \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(events).toContain('proxy_buffering off');
  });
});
