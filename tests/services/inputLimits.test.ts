import { getNamedType, type GraphQLInputObjectType, isInputObjectType } from 'graphql';
import { buildServiceSchema } from '../../shared/src/graphql/subgraph';
import type { FieldRule } from '../../shared/src/editing/validation';
import { specOf } from '../../shared/src/editing/writes';
import { loadServices } from '../../services/definitions';

/**
 * The limits of mutation inputs are stated once, in each service's field rules, and repeated for
 * clients in the schema's descriptions of the input fields: they must say the same.
 */

/** What an input field's description must say of its rule's limit; null when the rule has none to state. */
function statedLimit(rule: FieldRule): string | null {
  switch (rule.kind) {
    case 'text':
      return `at most ${rule.max} characters`;
    case 'textList':
      return `at most ${rule.maxItems}, each 1 to ${rule.maxLength} characters`;
    case 'countryList':
    case 'enumList':
      return `at most ${rule.maxItems}`;
    case 'int':
      return `${rule.min} to ${rule.max}`;
    default:
      return null;
  }
}

/** Every input field whose description does not state its rule's limit, as "Input.field: expected". */
function misstated(inputType: GraphQLInputObjectType, rules: Record<string, FieldRule | undefined>): string[] {
  const fields = inputType.getFields();
  return Object.entries(rules).flatMap(([property, rule]) => {
    if (!rule) return [];
    const name = rule.input ?? property;
    const limit = statedLimit(rule);
    const field = fields[name];
    if (!field) return [`${inputType.name}.${name}: no such input field`];
    return limit && !(field.description ?? '').includes(limit) ? [`${inputType.name}.${name}: should say "${limit}"`] : [];
  });
}

describe('input limits', () => {
  it('finds a description that does not say its rule', () => {
    const schema = buildServiceSchema(loadServices(['legal-instruments'])[0].schemaFile, []);
    const input = schema.getType('CreateTrainingInput');
    if (!isInputObjectType(input)) throw new Error('CreateTrainingInput is not an input type');
    expect(misstated(input, { activity: { kind: 'text', max: 2000 } })).toEqual([]);
    expect(misstated(input, { activity: { kind: 'text', max: 1999 } })).toEqual([
      'CreateTrainingInput.activity: should say "at most 1999 characters"',
    ]);
    expect(misstated(input, { location: { kind: 'countryList', maxItems: 3 } })).toHaveLength(1);
  });

  it('each mutation input of every service describes the limits its field rules apply', () => {
    let checked = 0;
    const problems = loadServices().flatMap((definition) => {
      const schema = buildServiceSchema(definition.schemaFile, definition.resolvers);
      const given = (definition.resolvers.Mutation ?? {}) as Record<string, unknown>;
      const mutations = Object.values(schema.getMutationType()?.getFields() ?? {}).filter((m) => /^(create|update)/.test(m.name));
      checked += mutations.length;
      return mutations.flatMap((mutation) => {
        const spec = specOf(given[mutation.name]);
        if (!spec) return [`${definition.name} ${mutation.name}: not made by mutationResolvers`];
        const input = getNamedType(mutation.args.find((a) => a.name === 'input')?.type);
        if (!isInputObjectType(input)) return [`${definition.name} ${mutation.name}: no input object`];
        const rules = mutation.name.startsWith('create') ? { ...spec.createKey, ...spec.fields } : spec.fields;
        return misstated(input, rules);
      });
    });
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(28);
  });
});
