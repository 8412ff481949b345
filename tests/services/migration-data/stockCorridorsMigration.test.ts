import { DataSource } from 'typeorm';
import { loadConfig } from '../../../shared/src/runtime/config';
import { createServiceDataSource, ensureSchema } from '../../../shared/src/data/dataSource';
import { createLogger } from '../../../shared/src/runtime/logger';
import { entities } from '../../../services/migration-data/src/entities';
import { findCorridors } from '../../../services/migration-data/src/entities/queries';
import { definition } from '../../../services/migration-data/src/service';
import { createEmptyDatabase, type PrivateDatabase } from '../../support/privateDatabase';

const { migrations, schema: SCHEMA } = definition;
/** How many migrations run up to and including the corridor migration (later ones do not matter here). */
const CORRIDORS = migrations.findIndex((m) => m.name === 'StockCorridors1733700000000') + 1;

// The corridor migration on a database that already holds stock in the old shape (one row per
// sex, char(3) codes): a scratch database migrated to the step before, filled, then migrated on
// and back.
let db: PrivateDatabase;

function dataSource(steps: number): DataSource {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error' });
  return createServiceDataSource({
    url: db.url,
    schema: SCHEMA,
    entities,
    migrations: migrations.slice(0, steps),
    database: config.database,
    applicationName: 'migration-test',
    log: createLogger('migration-test', 'error'),
  });
}

beforeAll(async () => {
  db = await createEmptyDatabase('mg_corridors');
  await ensureSchema(db.url, SCHEMA);
});
afterAll(async () => {
  await db.drop();
});

const SOURCE_ROWS = [
  ['SEN', 'GIN', 2020, 'male', 30],
  ['SEN', 'GIN', 2020, 'female', 20],
  ['SEN', 'MLI', 2020, 'male', 7],
  ['SEN', 'MLI', 2020, 'female', 9],
  ['SEN', 'OOO', 2020, 'female', 100],
  ['CIV', 'BFA', 2020, 'male', 500],
  ['CIV', 'BFA', 2020, 'female', 400],
  ['CIV', 'BFA', 2024, 'male', 600],
  ['CIV', 'BFA', 2024, 'female', 450],
];

it('moves per-sex rows into corridors with their counts and ranking, keeps the old shape as a view, and goes back', async () => {
  const before = dataSource(CORRIDORS - 1);
  await before.initialize();
  try {
    await before.runMigrations({ transaction: 'each' });
    await before.query(`INSERT INTO data.stock_revision (code, title, citation, years, row_count, sha256, confidence)
      VALUES ('t1', 'Test', 'Test rows', '{2020,2024}', 9, repeat('a', 64), 'unverified')`);
    await before.query(`CREATE TABLE data.migrant_stock_t1 PARTITION OF data.migrant_stock FOR VALUES IN ('t1')`);
    for (const [d, o, y, sex, stock] of SOURCE_ROWS) {
      await before.query(
        `INSERT INTO data.migrant_stock (revision, destination_code, origin_code, year, sex, stock) VALUES ('t1', $1, $2, $3, $4, $5)`,
        [d, o, y, sex, stock],
      );
    }
    await before.query(
      `INSERT INTO data.stock_country_year (revision, side, code, year, male, female) VALUES ('t1', 'destination', 'SEN', 2020, 37, 129)`,
    );
  } finally {
    await before.destroy();
  }

  const after = dataSource(CORRIDORS);
  await after.initialize();
  try {
    expect((await after.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['StockCorridors1733700000000']);
    expect(
      await after.query(`SELECT year, data.country_code(destination_key) AS d, data.country_code(origin_key) AS o, male::int, female::int, total::int
      FROM data.stock_corridor WHERE revision = 't1' ORDER BY 1, 2, 3`),
    ).toEqual([
      { year: 2020, d: 'CIV', o: 'BFA', male: 500, female: 400, total: 900 },
      { year: 2020, d: 'SEN', o: 'GIN', male: 30, female: 20, total: 50 },
      { year: 2020, d: 'SEN', o: 'MLI', male: 7, female: 9, total: 16 },
      { year: 2020, d: 'SEN', o: 'OOO', male: null, female: 100, total: null },
      { year: 2024, d: 'CIV', o: 'BFA', male: 600, female: 450, total: 1050 },
    ]);
    // The view gives back exactly the source rows.
    const view: { d: string; o: string; year: number; sex: string; stock: string }[] = await after.query(
      `SELECT destination_code AS d, origin_code AS o, year, sex, stock FROM data.migrant_stock WHERE revision = 't1'`,
    );
    expect(view.map((r) => [r.d, r.o, r.year, r.sex, Number(r.stock)]).sort()).toEqual([...SOURCE_ROWS].sort());
    expect(await after.query(`SELECT year, corridors FROM data.stock_year WHERE revision = 't1' ORDER BY year`)).toEqual([
      { year: 2020, corridors: 4 },
      { year: 2024, corridors: 1 },
    ]);
    const [page, total] = await findCorridors(after, {
      revision: 't1',
      year: 2020,
      origins: null,
      destinations: null,
      limit: 3,
      offset: 1,
    });
    expect(total).toBe(4);
    expect(page.map((c) => [c.destinationCode, c.originCode, c.total])).toEqual([
      ['SEN', 'GIN', 50],
      ['SEN', 'MLI', 16],
      ['SEN', 'OOO', null],
    ]);
    expect(await after.query(`SELECT code, male::int, female::int FROM data.stock_country_year WHERE revision = 't1'`)).toEqual([
      { code: 'SEN', male: 37, female: 129 },
    ]);
    expect(
      await after.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'data.stock_country_year'::regclass`),
    ).toEqual([{ n: 1 }]);

    await after.undoLastMigration({ transaction: 'each' });
    const back: { d: string; o: string; year: number; sex: string; stock: string }[] = await after.query(
      `SELECT destination_code AS d, origin_code AS o, year, sex, stock FROM data.migrant_stock WHERE revision = 't1'`,
    );
    expect(back.map((r) => [r.d, r.o, r.year, r.sex, Number(r.stock)]).sort()).toEqual([...SOURCE_ROWS].sort());
    expect(await after.query(`SELECT relkind FROM pg_class WHERE oid = 'data.migrant_stock'::regclass`)).toEqual([
      { relkind: 'p' },
    ]);
    expect(await after.query(`SELECT relkind FROM pg_class WHERE oid = 'data.stock_country_year'::regclass`)).toEqual([
      { relkind: 'r' },
    ]);
    expect(await after.query(`SELECT to_regclass('data.stock_corridor') AS t`)).toEqual([{ t: null }]);
  } finally {
    await after.destroy();
  }
});
