import type { Activity } from 'botbuilder';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant (Directory) id an activity names: Teams puts it in channelData and conversation. */
function tenantsOf(activity: Partial<Activity>): string[] {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  return [channelData?.tenant?.id, activity.conversation?.tenantId].filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
}

/**
 * Why an activity is not for this bot; undefined when it is. Only Microsoft Teams (not Web Chat,
 * Direct Line or the emulator channels the same Azure bot could be wired to) and, when
 * MICROSOFT_APP_TENANT_ID is set, only that tenant: a multi-tenant app registration would
 * otherwise take commands and clicks from any organisation that installs it.
 */
export function foreignActivity(
  activity: Partial<Activity>,
  tenantId: string | undefined,
): string | undefined {
  if (activity.channelId !== 'msteams') {
    return `channel ${JSON.stringify(activity.channelId ?? null)} is not msteams`;
  }
  if (tenantId === undefined) return undefined;
  const tenants = tenantsOf(activity);
  if (tenants.length === 0) return 'the activity names no tenant';
  const other = tenants.find((id) => id.toLowerCase() !== tenantId.toLowerCase());
  return other ? `tenant ${other} is not ${tenantId}` : undefined;
}

/** Activities carry the tenant's GUID; a domain name in the setting can never match one. */
export function isTenantGuid(tenantId: string): boolean {
  return GUID.test(tenantId);
}
