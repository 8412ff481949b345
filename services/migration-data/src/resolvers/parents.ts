// What the resolvers of types that are not entities receive as parent; codegen maps `<Type>Parent` to `<Type>`.
import type { ChangeRow, IndicatorRow, IndicatorValueRow, RegionalFigure, Totals } from '../entities/analytics';
import type { CorridorRow, StockYear } from '../entities/queries';
import type { StockRevision } from '../entities';
import type { DisplacementRow } from '../entities/displacement';
import type { IncidentRow, IncidentTotal, RouteRow } from '../entities/missingMigrants';
import type { IndicatorAggregateRow, IndicatorChangeRow } from '../entities/indicators';

export type IndicatorParent = IndicatorRow;
export type IndicatorValueParent = IndicatorValueRow;
export type StockChangeParent = ChangeRow;
export type StockTotalsParent = Totals;
export type RegionalStockFigureParent = RegionalFigure;
/** A year of a country's stock, or one end of a stock change (no country: the change carries it). */
export type StockFigureParent = Omit<StockYear, 'code'>;
export type CorridorParent = CorridorRow;
export type StockRevisionInfoParent = StockRevision;
export interface IndicatorSeriesParent {
  code: string;
  values: IndicatorValueRow[];
}
export type IndicatorChangeParent = IndicatorChangeRow;
export type IndicatorAggregateParent = IndicatorAggregateRow;
export interface IndicatorSheetEntryParent {
  indicator: IndicatorRow;
  values: IndicatorValueRow[];
  latest: IndicatorValueRow | null;
}
export type DisplacementCorridorParent = DisplacementRow;
export type MissingMigrantIncidentParent = IncidentRow;
export type MissingMigrantsTotalParent = IncidentTotal;
export type MigrationRouteParent = RouteRow;
export type MigrationRouteAliasParent = RouteRow['aliases'][number];
/** A capped list of records with coordinates, and how many match in all. */
export interface MissingMigrantsFeatureCollectionParent {
  rows: IncidentRow[];
  totalCount: number;
}
export type MissingMigrantsFeatureParent = IncidentRow;
export type MissingMigrantsFeaturePropertiesParent = IncidentRow;
export interface PointGeometryParent {
  longitude: number;
  latitude: number;
}
