/** Registers every layout table. Import this module (for its side effects) before decoding or encoding. */
import './meta-v1.js';
import './core-v1-pod.js';
import './core-v1-pod-status.js';
import './core-v1-volumes.js';
import './core-v1-objects.js';
import './apps-v1.js';
import './batch-v1.js';
import './rbac-v1.js';
import './networking-v1.js';
import './policy-scheduling-v1.js';
import './autoscaling.js';
import './auth-certificates.js';
