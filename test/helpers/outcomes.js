'use strict';
// What became of messages sent into a flow: each, told apart by a tag property, must end in exactly one output or
// one error that a Catch node gets, never in silence.

/**
 * Starts recording the outcomes of tagged messages: outputs at helper node `outId`, errors at Catch node `catchId`
 * itself (in a full deploy the nodes behind it are stopped in the same tick). `ignore(msg)` leaves out outputs that
 * answer no message (events, such as a tunnel coming up).
 */
function recordOutcomes(helper, { tag = 'n', outId = 'out', catchId = 'catch', ignore = () => false } = {}) {
  const byTag = new Map();
  const add = (m, outcome) => byTag.set(m[tag], [...(byTag.get(m[tag]) || []), outcome]);
  const onOut = (m) => {
    if (!ignore(m)) add(m, { out: m });
  };
  const onCaught = (m) => add(m, { error: m.error });
  const out = helper.getNode(outId);
  const caught = helper.getNode(catchId);
  out.on('input', onOut);
  caught.on('input', onCaught);
  return {
    /** How many of `tags` have had an outcome. */
    answered: (tags) => tags.filter((t) => byTag.has(t)).length,
    /** The tags without any outcome, and those with more than one. */
    faults: (tags) => ({
      silent: tags.filter((t) => !byTag.has(t)),
      twice: tags.filter((t) => (byTag.get(t) || []).length > 1),
    }),
    /** Every outcome there was, as `{ out }` or `{ error }`. */
    all: () => [...byTag.values()].flat(),
    /** The first outcome of one tag. */
    of: (t) => (byTag.get(t) || [])[0],
    stop: () => {
      out.off('input', onOut);
      caught.off('input', onCaught);
    },
  };
}

module.exports = { recordOutcomes };
