import { TaktError } from '../../errors';

/**
 * What the connector needs from a service's `$metadata` (an EDMX document, reference A.1): the EDM type of every
 * property of the entity type behind each entity set, so that writes can put values into the V2 wire form of
 * their type (v2-wire-values.ts).
 *
 * A small, strict scan rather than an XML library: elements and attributes are read in document order, and
 * anything that is not well-formed at the level scanned (a `<` that does not open a tag, an unterminated
 * comment, a closing tag that does not match) fails as RESPONSE_INVALID instead of yielding half a model.
 * Read: `Schema` (Namespace, Alias), `EntityType` (Name, BaseType), its `Property` (Name, Type), and the
 * container's `EntitySet` (Name, EntityType). Everything else is skipped.
 * https://www.odata.org/documentation/odata-version-2-0/overview/ (CSDL 2.0, section 6)
 */
export interface ServiceMetadata {
  /** Property name → EDM type (`Edm.DateTime`) of an entity set's type, base types included; undefined when unknown. */
  propertyTypes(entitySet: string): ReadonlyMap<string, string> | undefined;
}

interface EntityTypeDef {
  readonly properties: Map<string, string>;
  readonly baseType: string | undefined;
  readonly namespace: string;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const TAG_END = /\s*(\/?)>/y;
const TAG_NAME = new RegExp(`<(/?)(${NAME})`, 'y');

export function parseV2Metadata(xml: string): ServiceMetadata {
  const types = new Map<string, EntityTypeDef>();
  const sets = new Map<string, string>();
  const aliases = new Map<string, string>();
  const open: string[] = [];
  let namespace: string | undefined;
  let entityType: EntityTypeDef | undefined;
  let position = 0;
  while (position < xml.length) {
    const lt = xml.indexOf('<', position);
    if (lt < 0) break;
    if (xml.startsWith('<?', lt)) position = skipPast(xml, lt, '?>');
    else if (xml.startsWith('<!--', lt)) position = skipPast(xml, lt, '-->');
    else if (xml.startsWith('<![CDATA[', lt)) position = skipPast(xml, lt, ']]>');
    else if (xml.startsWith('<!', lt)) position = skipPast(xml, lt, '>');
    else {
      const tag = readTag(xml, lt);
      position = tag.end;
      const local = localName(tag.name);
      if (tag.closing) {
        const expected = open.pop();
        if (expected !== tag.name) malformed(lt, `</${tag.name}> closes <${expected ?? 'nothing'}>`);
        if (local === 'EntityType') entityType = undefined;
        if (local === 'Schema') namespace = undefined;
        continue;
      }
      if (!tag.selfClosing) open.push(tag.name);
      const attribute = (name: string): string | undefined => tag.attributes.get(name);
      if (local === 'Schema') {
        namespace = attribute('Namespace');
        const alias = attribute('Alias');
        if (alias !== undefined && namespace !== undefined) aliases.set(alias, namespace);
      } else if (local === 'EntityType' && namespace !== undefined) {
        const name = attribute('Name');
        if (name === undefined) malformed(lt, '<EntityType> without Name');
        entityType = { properties: new Map(), baseType: attribute('BaseType'), namespace };
        types.set(`${namespace}.${name}`, entityType);
        if (tag.selfClosing) entityType = undefined;
      } else if (local === 'Property' && entityType !== undefined) {
        const name = attribute('Name');
        const type = attribute('Type');
        if (name === undefined || type === undefined) malformed(lt, '<Property> without Name or Type');
        entityType.properties.set(name, type);
      } else if (local === 'EntitySet') {
        const name = attribute('Name');
        const type = attribute('EntityType');
        if (name !== undefined && type !== undefined) sets.set(name, type);
      }
    }
  }
  if (open.length > 0) malformed(xml.length, `<${open.at(-1) ?? ''}> is never closed`);
  if (types.size === 0) {
    throw new TaktError('RESPONSE_INVALID', 'The $metadata document declares no EntityType; is it an OData EDMX?', {
      details: { document: '$metadata' },
    });
  }
  const resolve = (qualified: string): EntityTypeDef | undefined => {
    const dot = qualified.lastIndexOf('.');
    const prefix = qualified.slice(0, dot);
    return types.get(qualified) ?? types.get(`${aliases.get(prefix) ?? prefix}.${qualified.slice(dot + 1)}`);
  };
  return {
    propertyTypes(entitySet) {
      const typeName = sets.get(entitySet);
      let def = typeName === undefined ? undefined : resolve(typeName);
      if (def === undefined) return undefined;
      const properties = new Map<string, string>();
      // Base types first, so a derived type's own declaration wins; the depth bound stops a cyclic BaseType.
      const chain: EntityTypeDef[] = [];
      while (def !== undefined && chain.length < 32 && !chain.includes(def)) {
        chain.unshift(def);
        def = def.baseType === undefined ? undefined : resolve(def.baseType);
      }
      for (const link of chain) for (const [name, type] of link.properties) properties.set(name, type);
      return properties;
    },
  };
}

interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly attributes: ReadonlyMap<string, string>;
  readonly end: number;
}

function readTag(xml: string, at: number): Tag {
  TAG_NAME.lastIndex = at;
  const head = TAG_NAME.exec(xml);
  if (!head?.[2]) malformed(at, 'a "<" that opens no element');
  const closing = head[1] === '/';
  const attributes = new Map<string, string>();
  let cursor = TAG_NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = cursor;
    const attribute = ATTRIBUTE.exec(xml);
    if (!attribute?.[1]) break;
    if (closing) malformed(at, `attributes on </${head[2]}>`);
    attributes.set(localName(attribute[1]), decodeEntities(attribute[2] ?? attribute[3] ?? ''));
    cursor = ATTRIBUTE.lastIndex;
  }
  TAG_END.lastIndex = cursor;
  const end = TAG_END.exec(xml);
  if (!end) malformed(cursor, `<${head[2]}> is not closed by ">"`);
  if (closing && end[1] === '/') malformed(at, `</${head[2]}/>`);
  return { name: head[2], closing, selfClosing: end[1] === '/', attributes, end: TAG_END.lastIndex };
}

/** `edmx:Edmx` → `Edmx`; attributes keep only their local name too (`m:IsDefaultEntityContainer`). */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function skipPast(xml: string, at: number, terminator: string): number {
  const end = xml.indexOf(terminator, at);
  if (end < 0) malformed(at, `no "${terminator}" after this point`);
  return end + terminator.length;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (entity, name: string) => {
    if (name === 'lt') return '<';
    if (name === 'gt') return '>';
    if (name === 'amp') return '&';
    if (name === 'quot') return '"';
    if (name === 'apos') return "'";
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

function malformed(offset: number, what: string): never {
  throw new TaktError(
    'RESPONSE_INVALID',
    `The $metadata document is not well-formed XML at character ${offset}: ${what}.`,
    { details: { document: '$metadata', offset } },
  );
}
