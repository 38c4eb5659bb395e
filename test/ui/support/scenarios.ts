// Traces shaped like real ones, for the UI tests: a checkout request that crosses three
// services, hits a database and a cache, fails in payment with an exception, and logs
// along the way.

import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { span, type LogLine, type TraceRecorder } from './sdkTraces.ts';

export const SOURCE_FILE = '/home/dev/shop/src/payment/charge.ts';

export interface Checkout {
  root: Span;
  auth: Span;
  cart: Span;
  cartServer: Span;
  query: Span;
  cache: Span;
  payment: Span;
  render: Span;
  logs: LogLine[];
}

/** One checkout trace starting at `t0` (epoch ms), 120 ms long. */
export function checkout(rec: TraceRecorder, t0: number, opts: { fail?: boolean; user?: string } = {}): Checkout {
  const frontend = rec.tracer('frontend', { 'service.version': '2.3.1', 'deployment.environment': 'dev' });
  const cartSvc = rec.tracer('cart-service', { 'service.version': '1.0.4' });
  const paymentSvc = rec.tracer('payment-service', { 'service.version': '0.8.0' });
  const out = {} as Checkout;
  out.root = span(frontend, 'GET /checkout', undefined, t0, t0 + 120, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'http.route': '/checkout', 'url.path': '/checkout', 'http.response.status_code': opts.fail ? 502 : 200, 'user.id': opts.user ?? 'u-1042', 'code.file.path': '/home/dev/shop/src/routes/checkout.ts', 'code.line.number': 27, 'code.function.name': 'handleCheckout' },
  }, (root) => {
    out.auth = span(frontend, 'auth.verify', root, t0 + 2, t0 + 8, { attributes: { 'enduser.id': opts.user ?? 'u-1042' } });
    out.cart = span(frontend, 'POST /cart/total', root, t0 + 10, t0 + 70, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'server.address': 'cart-service' } }, (cart) => {
      out.cartServer = span(cartSvc, 'POST /cart/total', cart, t0 + 12, t0 + 68, { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart/total' } }, (srv) => {
        out.query = span(cartSvc, 'SELECT cart_items', srv, t0 + 15, t0 + 40, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.query.text': 'SELECT * FROM cart_items WHERE user_id = $1' } });
        out.cache = span(cartSvc, 'GET prices', srv, t0 + 42, t0 + 50, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'redis' } });
      });
    });
    out.payment = span(paymentSvc, 'POST /charge', root, t0 + 72, t0 + 115, { kind: SpanKind.SERVER, attributes: { 'http.route': '/charge', 'payment.amount': 129.9 } }, (p) => {
      if (!opts.fail) return;
      const err = new Error('card declined by issuer');
      err.stack = `Error: card declined by issuer\n    at chargeCard (${SOURCE_FILE}:42:13)\n    at async handleCharge (/home/dev/shop/src/payment/routes.ts:18:5)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;
      p.recordException(err, t0 + 110);
      p.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    });
    out.render = span(frontend, 'render checkout', root, t0 + 116, t0 + 119);
    if (opts.fail) root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
  });
  out.logs = [
    { body: 'checkout started', severityNumber: 9, severityText: 'INFO', span: out.root, timeMs: t0 + 1 },
    { body: 'cart total computed: 129.90', severityNumber: 9, severityText: 'INFO', span: out.cartServer, timeMs: t0 + 66 },
    ...(opts.fail ? [{ body: 'charge failed: card declined by issuer', severityNumber: 17, severityText: 'ERROR', span: out.payment, timeMs: t0 + 111, attributes: { 'code.file.path': SOURCE_FILE, 'code.line.number': 44 } }] : []),
  ];
  return out;
}
