// An ordinary Lambda handler: (event, context) => result.
exports.handler = async (event, context) => {
  const name = typeof event.name === 'string' && event.name !== '' ? event.name : 'World';
  return { message: `Hello, ${name}!`, function: context.functionName };
};
