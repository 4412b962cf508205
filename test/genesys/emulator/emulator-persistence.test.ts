import platformClient from 'purecloud-platform-client-v2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EmulatorPersistedState,
  type RunningEmulator,
  type SeedUser,
  startGenesysEmulator,
} from '../../../src/genesys/emulator/index.js';
import { waitFor } from '../../helpers/wait.js';

const JANE: SeedUser = {
  id: 'b1b2c3d4-0000-4000-8000-000000000001',
  name: 'Jane Doe',
  email: 'jane.doe@example.com',
};
const ZOE: SeedUser = {
  id: 'b1b2c3d4-0000-4000-8000-000000000002',
  name: 'Zoë Ångström',
  email: 'zoe.angstrom@example.com',
};
const janeId = JANE.id as string;
const zoeId = ZOE.id as string;

const running: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(
  msPerStage: number,
  restore?: EmulatorPersistedState,
  onChange?: () => void,
): Promise<RunningEmulator> {
  const emulator = await startGenesysEmulator({
    users: [JANE, ZOE],
    gdpr: { msPerStage },
    ...(restore ? { restore } : {}),
    ...(onChange ? { onChange } : {}),
  });
  running.push(emulator);
  return emulator;
}

async function sdk(emulator: RunningEmulator) {
  const client = new platformClient.ApiClientClass();
  client.config.live_reload_config = false;
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port });
  await client.loginClientCredentialsGrant('emulator-client', 'emulator-secret');
  return {
    users: new platformClient.UsersApi(client),
    gdpr: new platformClient.GeneralDataProtectionRegulationApi(client),
  };
}

type GdprBody = Parameters<
  platformClient.GeneralDataProtectionRegulationApi['postGdprRequests']
>[0];

async function fileDelete(emulator: RunningEmulator, userId: string): Promise<string> {
  const { gdpr } = await sdk(emulator);
  const created = await gdpr.postGdprRequests(
    { requestType: 'GDPR_DELETE', subject: { userId } } as GdprBody,
    { deleteConfirmed: true },
  );
  return created.id as string;
}

function completed(emulator: RunningEmulator): boolean {
  return emulator.gdprRequests().every((request) => request.status === 'COMPLETED');
}

/** As the file on disk carries it: plain JSON, nothing shared with the emulator that wrote it. */
function throughJson(state: EmulatorPersistedState): EmulatorPersistedState {
  return JSON.parse(JSON.stringify(state)) as EmulatorPersistedState;
}

describe('the emulator restarted from its persisted state', () => {
  it('keeps soft-deleted and erased users and the GDPR requests filed before', async () => {
    let changes = 0;
    const first = await start(150, undefined, () => {
      changes += 1;
    });
    const { users } = await sdk(first);
    await users.deleteUser(janeId);
    const zoeRequest = await fileDelete(first, zoeId);
    // Reading the requests lets their time pass (the emulator moves them on lazily).
    await waitFor('Zoë’s request completed', () => completed(first), { timeoutMs: 10_000 });
    expect(first.user(zoeId)?.erased).toBe(true);
    const saved = throughJson(first.persistedState());
    expect(changes).toBeGreaterThan(0);
    await first.close();

    const second = await start(150, saved);
    expect(second.user(janeId)?.state).toBe('deleted');
    expect(second.user(zoeId)).toMatchObject({ erased: true, name: 'Erased User' });
    const janeRequest = await fileDelete(second, janeId);
    const { gdpr } = await sdk(second);
    // The request filed before the restart is still found, finished as it was.
    expect((await gdpr.getGdprRequest(zoeRequest)).status).toBe('COMPLETED');
    await waitFor(
      'Jane’s request completed',
      async () => (await gdpr.getGdprRequest(janeRequest)).status === 'COMPLETED',
      { timeoutMs: 10_000 },
    );
    expect(second.user(janeId)?.erased).toBe(true);
  });

  it('moves a GDPR request on by the time that passed while it was stopped', async () => {
    const first = await start(100);
    const id = await fileDelete(first, janeId);
    const saved = throughJson(first.persistedState());
    expect(saved.gdpr.requests[0]?.record.status).toBe('INITIATED');
    await first.close();
    // Four stages of 100 ms pass while no emulator runs.
    await new Promise((resolve) => setTimeout(resolve, 600));

    const second = await start(100, saved);
    const { gdpr } = await sdk(second);
    const found = await gdpr.getGdprRequest(id);
    expect(found.status).toBe('COMPLETED');
    expect(second.user(janeId)?.erased).toBe(true);
    // The stages are dated when they happened, not when the second emulator noticed them.
    const history = second.gdprRequests()[0]?.statusHistory ?? [];
    expect(history.map((entry) => entry.status)).toEqual([
      'INITIATED',
      'SEARCHING',
      'DELETING',
      'FINALIZING',
      'COMPLETED',
    ]);
    const created = Date.parse(history[0]?.at ?? '');
    expect(Date.parse(history[4]?.at ?? '') - created).toBe(400);
  });

  it('starts over from its seed users on reset', async () => {
    const emulator = await start(50);
    await fileDelete(emulator, zoeId);
    await waitFor('Zoë’s request completed', () => completed(emulator), { timeoutMs: 10_000 });
    emulator.resetState();
    expect(emulator.gdprRequests()).toEqual([]);
    expect(emulator.user(zoeId)).toMatchObject({ erased: false, name: 'Zoë Ångström' });
    expect(emulator.persistedState().gdpr.requests).toEqual([]);
  });

  it('refuses a state of another version', async () => {
    const saved = { ...throughJson((await start(50)).persistedState()), version: 99 };
    await expect(start(50, saved)).rejects.toThrow(/version 99/);
  });
});
