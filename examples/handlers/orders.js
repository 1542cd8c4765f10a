// Handlers for the order-fulfilment and jsonata-variables examples.

class InventoryBusy extends Error {
  constructor(message) {
    super(message);
    this.name = 'Inventory.Busy';
  }
}

class PaymentDeclined extends Error {
  constructor(message) {
    super(message);
    this.name = 'Payment.Declined';
  }
}

// Fails its first attempt (the state's retry count comes in the payload) so the Retry policy is exercised.
exports.validateOrder = async (event) => {
  if (event.retryCount === 0) throw new InventoryBusy('The inventory service is busy, try again');
  const order = event.order;
  if (!Array.isArray(order.items) || order.items.length === 0) throw new Error('An order needs at least one item');
  const total = order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  return { valid: true, total: Math.round(total * 100) / 100 };
};

exports.chargeCard = async (event) => {
  if (event.card === 'declined') throw new PaymentDeclined(`The card was declined for ${event.amount}`);
  return { charged: event.amount, receipt: `R-${event.orderId}` };
};

exports.reserveItem = async (event) => ({ sku: event.sku, reserved: event.quantity, bin: `BIN-${event.index + 1}` });

exports.priceQuote = async (event) => ({ sku: event.sku, unitPrice: event.sku.length * 2.5 });
