/**
 * Registers tfjs-core's gradient functions, which `optimizer.minimize` needs.
 *
 * tfjs-core alone registers none: its ESM build does so in `dist/register_all_gradients.js`,
 * which Node cannot load (an ES module inside a CommonJS package), and its Node bundle leaves them
 * out. The Node bundle of tfjs-layers registers all of them, into core's global gradient registry,
 * when it loads. Importing this module is the one place that relies on that.
 */
import '@tensorflow/tfjs-layers';

/** True once gradients are registered (that is, once this module has loaded). */
export const GRADIENTS_REGISTERED = true;
