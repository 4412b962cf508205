/** Who can be "you" in the playground: fixed, so a session reads the same every time. */

export type PlaygroundRole = 'requester' | 'approver';

export interface PlaygroundPerson {
  id: string;
  /** Slack handle, as in `user_name` of a slash command. */
  handle: string;
  name: string;
  email: string;
  role: PlaygroundRole;
  /** Their Slack profile's `tz`: the zone `on … at …` is read in. */
  timeZone: string;
}

/**
 * The zone of the machine running the playground (usually the one whose browser shows it), so a
 * scheduled time typed there means what the person trying it expects.
 */
const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  {
    id: 'U0PLAYMARIA',
    handle: 'maria',
    name: 'Maria Manager',
    email: 'maria.manager@example.com',
    role: 'requester',
    timeZone: LOCAL_TIME_ZONE,
  },
  {
    id: 'U0PLAYADAM',
    handle: 'adam',
    name: 'Adam Approver',
    email: 'adam.approver@example.com',
    role: 'approver',
    timeZone: LOCAL_TIME_ZONE,
  },
  {
    id: 'U0PLAYANN',
    handle: 'ann',
    name: 'Ann Approver',
    email: 'ann.approver@example.com',
    role: 'approver',
    timeZone: LOCAL_TIME_ZONE,
  },
];

export const PLAYGROUND_APPROVERS: readonly string[] = PLAYGROUND_PEOPLE.filter(
  (person) => person.role === 'approver',
).map((person) => person.id);

export interface PlaygroundChannel {
  id: string;
  name: string;
}

/** Where /offboard is typed and the request cards appear. */
export const REQUEST_CHANNEL: PlaygroundChannel = { id: 'C0PLAYREQUESTS', name: 'offboarding' };
/** SLACK_NOTIFY_CHANNEL of the playground: outcomes only. */
export const NOTICE_CHANNEL: PlaygroundChannel = {
  id: 'C0PLAYNOTICES',
  name: 'offboarding-notices',
};

export const PLAYGROUND_BOT_TOKEN = 'xoxb-playground';

export function findPerson(id: unknown): PlaygroundPerson | undefined {
  return PLAYGROUND_PEOPLE.find((person) => person.id === id);
}
