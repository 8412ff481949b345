import type { ServiceName } from '../../shared/src/runtime/config';
import type { RunningService } from '../../shared/src/runtime/service';
import { testDatabaseUrl } from '../support/serviceHarness';
import { freePort, post, startGateway, startServices, startSlowProxy } from './faultKit';

/** One root field per service: each answers or fails on its own. */
const ONE_FIELD_EACH = `{
  country(code: "SEN") { name }
  instrument(code: "ICRMW") { shortTitle }
  migrationProfile(id: "SEN-2018") { year }
  unAgency(acronym: "ILO") { acronym }
}`;
const FULL_ANSWER = {
  country: { name: 'Senegal' },
  instrument: { shortTitle: 'Migrant Workers Convention' },
  migrationProfile: { year: 2018 },
  unAgency: { acronym: 'ILO' },
};
/** Touches legal-instruments and consultative-processes only. */
const WITHOUT_MIGRATION_DATA = `{ country(code: "SEN") { name treatyActions { instrument { code } action } } }`;

let services: RunningService[];
let urls: Record<ServiceName, string>;

beforeAll(async () => {
  services = await startServices(testDatabaseUrl());
  urls = Object.fromEntries(services.map((s) => [s.name, s.url])) as Record<ServiceName, string>;
});

afterAll(async () => {
  for (const s of services) await s.stop();
});

describe('the gateway with a dead or slow service', () => {
  it('answers the fields of the live services and an error naming the dead one, then answers fully once it is back, without a restart', async () => {
    const port = await freePort();
    const gateway = await startGateway({ ...urls, 'migration-data': `http://127.0.0.1:${port}/graphql` }, 2000);
    try {
      const whileDead = await post(gateway.url, ONE_FIELD_EACH);
      expect({ status: whileDead.status, body: whileDead.body }).toEqual({
        status: 200,
        body: {
          data: { ...FULL_ANSWER, migrationProfile: null },
          errors: [
            {
              message: 'The migration-data service is unavailable',
              extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'migration-data' },
            },
          ],
        },
      });
      const [revived] = await startServices(testDatabaseUrl(), ['migration-data'], port);
      try {
        const afterwards = await post(gateway.url, ONE_FIELD_EACH);
        expect(afterwards.body).toEqual({ data: FULL_ANSWER });
      } finally {
        await revived.stop();
      }
    } finally {
      await gateway.stop();
    }
  });

  it('answers operations that do not touch the dead service exactly as with every service up', async () => {
    const healthy = await startGateway(urls, 2000);
    const degraded = await startGateway({ ...urls, 'migration-data': `http://127.0.0.1:${await freePort()}/graphql` }, 2000);
    try {
      const expected = await post(healthy.url, WITHOUT_MIGRATION_DATA);
      expect(expected.body.errors).toBeUndefined();
      expect((await post(degraded.url, WITHOUT_MIGRATION_DATA)).body).toEqual(expected.body);
    } finally {
      await healthy.stop();
      await degraded.stop();
    }
  });

  it('nulls the nearest nullable parent when a non-null field of the dead service fails (GraphQL null propagation)', async () => {
    const gateway = await startGateway({ ...urls, 'migration-data': `http://127.0.0.1:${await freePort()}/graphql` }, 2000);
    try {
      const answer = await post(gateway.url, `{ country(code: "SEN") { name migrationProfiles { year } } }`);
      expect(answer.body).toEqual({
        data: { country: null },
        errors: [
          {
            message: 'The migration-data service is unavailable',
            extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'migration-data' },
          },
        ],
      });
    } finally {
      await gateway.stop();
    }
  });

  it('gives up on a slow service after the subgraph timeout and still answers the other fields', async () => {
    const slow = await startSlowProxy(urls['migration-data'], 5000);
    const gateway = await startGateway({ ...urls, 'migration-data': slow.url }, 300);
    try {
      const answer = await post(gateway.url, ONE_FIELD_EACH);
      expect(answer.body).toEqual({
        data: { ...FULL_ANSWER, migrationProfile: null },
        errors: [
          {
            message: 'The migration-data service did not answer within 300 ms',
            extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'migration-data' },
          },
        ],
      });
      expect(answer.ms).toBeLessThan(2000);
    } finally {
      await gateway.stop();
      await slow.stop();
    }
  });

  it('opens at most the configured number of sockets to a service and reuses them, however many calls are waiting', async () => {
    const slow = await startSlowProxy(urls['migration-data'], 100);
    // Sharing off: 24 identical calls would otherwise be one.
    const gateway = await startGateway({ ...urls, 'migration-data': slow.url }, 10_000, 4, false);
    try {
      const answers = await Promise.all(
        Array.from({ length: 24 }, () => post(gateway.url, `{ migrationProfile(id: "SEN-2018") { year } }`)),
      );
      expect(answers.map((a) => a.body)).toEqual(
        Array.from({ length: 24 }, () => ({ data: { migrationProfile: { year: 2018 } } })),
      );
      expect({ maxOpen: slow.sockets.maxOpen, opened: slow.sockets.opened }).toEqual({ maxOpen: 4, opened: 4 });
    } finally {
      await gateway.stop();
      await slow.stop();
    }
  });
});
