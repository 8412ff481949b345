import { changeNotificationsMigration } from '../../../../shared/src/data/readCache';

/** Every change to a table of the schema notifies the service's processes, which forget what they had read (their read cache). */
export const ChangeNotifications1734500000000 = changeNotificationsMigration('legal');
