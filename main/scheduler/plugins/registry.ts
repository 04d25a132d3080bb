/** `inTreeRegistry`, the name the framework contract (framework/types.ts) refers to; same map as index.ts. */
export { inTreePlugins as inTreeRegistry } from './index.js';
