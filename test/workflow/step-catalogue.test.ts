import { describe, expect, it } from 'vitest';
import type { GdprMode } from '../../src/genesys/types.js';
import { plannedActions, STEP_NAMES, STEPS, stepsFor } from '../../src/offboarding/steps.js';
import { STEP_HANDLERS } from '../../src/workflow/steps/index.js';

// The catalogue is the one place a step is defined; these are the facts the runner, the thread
// and the approval card rely on.

const MODES: GdprMode[] = ['delete', 'anonymize', 'none'];

describe('the step catalogue', () => {
  it('runs every step when a GDPR request is filed, in order', () => {
    const all = ['revoke_tokens', 'soft_delete', 'revoke_tokens_again', 'file_gdpr', 'poll_gdpr'];
    expect(stepsFor('delete')).toEqual(all);
    expect(stepsFor('anonymize')).toEqual(all);
  });

  it('stops after the second revoke when no GDPR request is filed', () => {
    expect(stepsFor('none')).toEqual(['revoke_tokens', 'soft_delete', 'revoke_tokens_again']);
  });

  it('has exactly one irreversible step, filing the GDPR request', () => {
    expect(STEP_NAMES.filter((step) => STEPS[step].irreversible)).toEqual(['file_gdpr']);
  });

  it('labels every step for the thread', () => {
    for (const step of STEP_NAMES) expect(STEPS[step].label.trim()).not.toBe('');
    expect(new Set(STEP_NAMES.map((step) => STEPS[step].label)).size).toBe(STEP_NAMES.length);
  });

  it('binds a handler to every step and to nothing else', () => {
    expect(Object.keys(STEP_HANDLERS).sort()).toEqual([...STEP_NAMES].sort());
    for (const step of STEP_NAMES) expect(STEP_HANDLERS[step]).toBeTypeOf('function');
  });

  it('tells the card, per mode, what happens, warning only where an irreversible step runs', () => {
    for (const mode of MODES) {
      const actions = plannedActions(mode);
      expect(actions).toHaveLength(4);
      expect(actions.slice(0, 3).map((action) => action.irreversible)).toEqual([
        false,
        false,
        false,
      ]);
      const last = actions[3];
      expect(last?.irreversible).toBe(mode !== 'none');
      if (last?.irreversible) expect(last.text).toContain('Irreversible:');
    }
    expect(plannedActions('delete')[3]?.text).toContain('GDPR_DELETE');
    expect(plannedActions('anonymize')[3]?.text).toContain('GDPR_UPDATE');
    expect(plannedActions('none')[3]?.text).toContain('No GDPR request');
  });

  it('gives every step a mode may run a card line, or folds it into the one before', () => {
    for (const mode of MODES) {
      const told = stepsFor(mode).filter((step) => STEPS[step].card[mode] !== undefined);
      expect(told).toEqual(stepsFor(mode).filter((step) => step !== 'poll_gdpr'));
    }
  });
});
