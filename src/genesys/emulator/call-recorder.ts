import type { RecordedCall } from './types.js';

/** Every API and login call, in the order their answers went out. */
export class CallRecorder {
  #calls: RecordedCall[] = [];

  record(call: RecordedCall): void {
    this.#calls.push(call);
  }

  all(): RecordedCall[] {
    return this.#calls.map((call) => structuredClone(call));
  }

  clear(): void {
    this.#calls = [];
  }
}
