// Sends an approval request. A real implementation would e-mail the links; this one logs them when
// deployed (SWITCHYARD_CALLBACK_URL is the front door's URL). The execution waits until someone
// opens a link, or calls SendTaskSuccess or SendTaskFailure with the token.
exports.requestApproval = async (event) => {
  if (typeof event.token !== 'string') throw new Error('The approval request needs the task token');
  const base = process.env.SWITCHYARD_CALLBACK_URL;
  if (base) {
    const task = `${base.replace(/\/?$/, '/')}tasks/${encodeURIComponent(event.token)}`;
    console.log(JSON.stringify({ orderId: event.orderId, amount: event.amount, approve: `${task}/approve`, reject: `${task}/reject` }));
  }
  return { requested: true };
};
