'use strict';
// Command strings built from sample parameters with the reference's own JavaScript syntax lines (COMMANDS.md) and the
// `cmdString` syntax of its types (TYPES.md).
const reference = require('./reference');

/** `X.cmdString(v)` of the reference, evaluated from the `**Syntax**` JavaScript of type X in TYPES.md. */
function cmdString(typeName, value) {
  const def = reference.types[typeName];
  if (!def?.jsSyntax) throw new Error(`TYPES.md has no syntax for ${typeName}`);
  if (def.kind === 'enum') return new Function('self', `return ${def.jsSyntax}`)(value);
  const fields = def.kind === 'record' ? def.fields : [{ name: 'type' }, ...(def.variants[value.type] ?? [])];
  const args = fields.map((f) => {
    const v = value[f.name];
    const ref = f.type?.kind === 'ref' ? reference.types[f.type.name] : undefined;
    // Nested values with a syntax of their own render through it when the expression calls toString().
    if (v !== undefined && ref?.jsSyntax) return { toString: () => cmdString(f.type.name, v) };
    return v;
  });
  return new Function(...fields.map((f) => f.name), `return ${def.jsSyntax}`)(...args);
}

const helpers = {};
for (const [name, def] of Object.entries(reference.types))
  if (def.jsSyntax) helpers[name] = { cmdString: (v) => cmdString(name, v) };
// Named by APIGetChats but not defined in TYPES.md (design file section 1): the CLI's own pagination form.
helpers.PaginationByTime = { cmdString: (p) => `count=${p.count}` };

const FULL_LINK =
  'https://simplex.chat/contact#/?v=2-7&smp=smp%3A%2F%2Fabc%40smp4.simplex.invalid%2Fxyz%23%2F%3Fv%3D1-4';

/** Sample values by parameter type; `variant` 0 sets every option, 1 leaves options out. */
function sample(param, variant) {
  const t = param.type;
  if (param.optional && variant === 1) return undefined;
  if (t.kind === 'prim') {
    if (t.name === 'bool') return variant === 0;
    if (t.name === 'int64' || t.name === 'int') return param.name === 'ttl' ? 60 : 1;
    if (t.name === 'string') {
      if (param.name === 'viewPwd') return 'secret';
      if (param.name === 'filePath') return 'saved/report.pdf';
      if (param.name === 'connTarget_' || param.name === 'connectTarget') return FULL_LINK;
      return 'sample';
    }
    if (t.name === 'JSONObject') return { note: 'sample' };
  }
  if (t.kind === 'array' && t.of.kind === 'prim') return [1, 2];
  if (t.kind === 'array' && t.of.name === 'ComposedMessage')
    return [{ msgContent: { type: 'text', text: 'hello' }, mentions: {} }];
  const byType = {
    ChatRef:
      variant === 0
        ? { chatType: 'group', chatId: 1, chatScope: { type: 'memberSupport', groupMemberId_: 2 } }
        : { chatType: 'direct', chatId: 1 },
    GroupMemberRole: 'member',
    CIDeleteMode: 'broadcast',
    ChatDeleteMode: variant === 0 ? { type: 'full', notify: false } : { type: 'messages' },
    MsgReaction: { type: 'emoji', emoji: '👍' },
    UpdatedMessage: { msgContent: { type: 'text', text: 'edited' }, mentions: {} },
    AddressSettings: { businessAddress: false, autoAccept: { acceptIncognito: false } },
    Profile: { displayName: 'SampleBot', fullName: '' },
    GroupProfile: { displayName: 'Sample', fullName: '' },
    NewUser: { profile: { displayName: 'Second', fullName: '' }, pastTimestamp: false, clientService: false },
    Preferences: { reactions: { allow: 'yes' } },
    CreatedConnLink: {
      connFullLink: FULL_LINK,
      connShortLink: variant === 0 ? 'https://smp4.simplex.invalid/a#xyz' : undefined,
    },
    PaginationByTime: { count: 20 },
    ChatListQuery: { type: 'filters', favorite: false, unread: false },
  };
  if (t.kind === 'ref' && t.name in byType) return byType[t.name];
  return undefined;
}

function build(command, variant) {
  if (!command.js) return command.plain;
  const names = command.params.map((p) => p.name);
  const values = command.params.map((p) => sample(p, variant));
  const helperNames = Object.keys(helpers);
  return new Function(...helperNames, ...names, `return ${command.js}`)(
    ...helperNames.map((h) => helpers[h]),
    ...values,
  );
}

module.exports = { build, cmdString };
