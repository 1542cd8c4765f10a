// Sends an approval request. A real implementation would e-mail a link carrying the task token;
// the execution waits until someone calls SendTaskSuccess or SendTaskFailure with it.
exports.requestApproval = async (event) => {
  if (typeof event.token !== 'string') throw new Error('The approval request needs the task token');
  return { requested: true };
};
