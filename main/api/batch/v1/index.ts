/** The batch/v1 resources, in the order discovery lists them. */
import type { ResourceDescriptor } from '../../resource.js';
import { cronjobs } from './cron-job.js';
import { jobs } from './job.js';

export const batchV1Resources: ResourceDescriptor[] = [cronjobs, jobs];
