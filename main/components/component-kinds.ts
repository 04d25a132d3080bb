/**
 * Every component a worker can run, by name: a worker receives only the name and looks the definition up here.
 */
import { controllerManagerComponent } from '../controllers/controller-manager-component.js';
import { simulatedNodesComponent } from '../nodes/simulated-nodes-component.js';
import { schedulerComponent } from '../scheduler/scheduler-component.js';
import type { ComponentCalls, ComponentDefinition } from './component.js';

export const componentKinds: ReadonlyMap<string, ComponentDefinition<any, ComponentCalls>> = new Map<string, ComponentDefinition<any, ComponentCalls>>([
  [schedulerComponent.name, schedulerComponent],
  [simulatedNodesComponent.name, simulatedNodesComponent],
  [controllerManagerComponent.name, controllerManagerComponent],
]);
