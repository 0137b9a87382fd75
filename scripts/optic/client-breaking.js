// Breaking changes for a client, on top of Optic's `breaking-changes` ruleset.
//
// Optic judges compatibility from the server's side: a removed *optional* query parameter or
// request field is not breaking there (the server ignores what it no longer reads). For this
// client it is: a caller's `page_size=` (or body field) would be silently dropped, and a
// rename shows up as exactly such a removal plus an addition. These two rules mark it.
const { OperationRule, RequestRule, RuleError, Ruleset } = require('@useoptic/rulesets-base');

const LOCATIONS = ['query', 'path', 'header', 'cookie'];

const preventParameterRemoval = new OperationRule({
  name: 'client: prevent parameter removal',
  // A removed operation is already reported by `prevent operation removal`.
  matches: (_operation, context) => context.operation.change !== 'removed',
  rule: (operation) => {
    for (const where of LOCATIONS) {
      operation[`${where}Parameter`].removed((parameter) => {
        throw new RuleError({
          message: `cannot remove ${where} parameter ${parameter.value.name}; callers that send it are silently ignored. This is a breaking change.`,
        });
      });
    }
  },
});

const preventRequestPropertyRemoval = new RequestRule({
  name: 'client: prevent request property removal',
  matches: (_request, context) => context.operation.change !== 'removed',
  rule: (request) => {
    request.property.removed((property) => {
      throw new RuleError({
        message: `cannot remove request property '${property.value.key}'; callers that send it are silently ignored. This is a breaking change.`,
      });
    });
  },
});

module.exports = {
  configSchema: { type: 'object' },
  rulesetConstructor: () =>
    new Ruleset({
      name: 'Client breaking changes',
      rules: [preventParameterRemoval, preventRequestPropertyRemoval],
    }),
};
