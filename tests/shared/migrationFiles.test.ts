import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { migrationsIn } from '../../shared/src/data/migrationFiles';

describe('migrationsIn', () => {
  it('finds every migration of a service folder, oldest first', () => {
    expect(migrationsIn(path.join(PROJECT_ROOT, 'services', 'migration-data', 'src', 'migrations')).map((m) => m.name)).toEqual([
      'Initial1732900000000',
      'ImportAndIndicators1733100000000',
      'Editing1733500000000',
      'StockCorridors1733700000000',
      'ChangeNotifications1734500000000',
      'IndicatorCatalogueAndDisplacement1734600000000',
      'MissingMigrants1734720000000',
      'MissingMigrantsTotals1734730000000',
    ]);
  });
});
