// Running the automation engine in tests as the workers' pump does.
import { AutomationEngine } from '../../server/src/modules/automation/automation.engine.js';
import { AutomationRunner } from '../../server/src/modules/automation/automation.runner.js';
import type { TestStack } from './stack.js';

/** A fresh engine over the stack's services (its cursor lives in the database). */
export function automationEngine(stack: TestStack): AutomationEngine {
  const { orm } = stack.runtime.services;
  return new AutomationEngine(orm, new AutomationRunner(orm, stack.runtime.services));
}

/** Passes until nothing is left: automated changes are read by the pass after the one that made them. */
export async function settleAutomation(engine: AutomationEngine, maxPasses = 50): Promise<void> {
  for (let idle = 0, passes = 0; idle < 2 && passes < maxPasses; passes += 1) {
    idle = (await engine.processEvents()) === 0 ? idle + 1 : 0;
  }
}
