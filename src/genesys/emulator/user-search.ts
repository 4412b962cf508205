import { badRequest } from './api-error.js';
import {
  type JsonObject,
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalStringArray,
  rejectUnknownProperties,
  requireObject,
} from './json-shape.js';
import type { StoredUser } from './types.js';

// POST /api/v2/users/search, restricted to the criteria types a directory lookup needs. Types the
// emulator cannot evaluate faithfully are refused with a 400 that names the emulator, so a test
// never passes on a silently wrong match.

const SEARCH_REQUEST_PROPERTIES = [
  'sortOrder',
  'sortBy',
  'pageSize',
  'pageNumber',
  'sort',
  'expand',
  'query',
  'integrationPresenceSource',
  'enforcePermissions',
] as const;

const CRITERIA_PROPERTIES = [
  'endValue',
  'values',
  'startValue',
  'value',
  'operator',
  'group',
  'dateFormat',
  'fields',
  'type',
] as const;

const CRITERIA_TYPES = [
  'EXACT',
  'STARTS_WITH',
  'CONTAINS',
  'REGEX',
  'TERM',
  'TERMS',
  'REQUIRED_FIELDS',
  'MATCH_ALL',
  'QUERY_STRING',
  'RANGE',
  'LESS_THAN',
  'LESS_THAN_EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_EQUAL_TO',
] as const;

const SUPPORTED_TYPES = ['EXACT', 'STARTS_WITH', 'CONTAINS', 'TERM', 'TERMS', 'MATCH_ALL'];

const OPERATORS = ['AND', 'OR', 'NOT'] as const;

const SEARCHABLE_FIELDS: Record<string, (user: StoredUser) => string | undefined> = {
  id: (user) => user.id,
  name: (user) => user.name,
  email: (user) => user.email,
  username: (user) => user.username,
  department: (user) => user.department,
  title: (user) => user.title,
  state: (user) => user.state,
  'division.id': (user) => user.division.id,
  'division.name': (user) => user.division.name,
};

export const MAX_SEARCH_PAGE_SIZE = 100;

interface Criterion {
  type: (typeof CRITERIA_TYPES)[number];
  operator: (typeof OPERATORS)[number];
  fields: string[];
  values: string[];
  group: Criterion[];
}

export interface UserSearch {
  criteria: Criterion[];
  pageSize: number;
  pageNumber: number;
  expand: string[];
  sortOrder: 'ASC' | 'DESC';
}

export function parseUserSearch(body: unknown): UserSearch {
  const request = requireObject(body, 'UserSearchRequest');
  rejectUnknownProperties(request, SEARCH_REQUEST_PROPERTIES, 'UserSearchRequest');
  const pageSize = optionalInteger(request, 'pageSize', 'UserSearchRequest') ?? 25;
  const pageNumber = optionalInteger(request, 'pageNumber', 'UserSearchRequest') ?? 1;
  if (pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE) {
    throw badRequest(`pageSize must be between 1 and ${MAX_SEARCH_PAGE_SIZE}`);
  }
  if (pageNumber < 1) throw badRequest('pageNumber must be at least 1');
  const query = request.query;
  if (query !== undefined && query !== null && !Array.isArray(query)) {
    throw badRequest('UserSearchRequest.query must be an array');
  }
  const sortOrder = optionalEnum(request, 'sortOrder', ['ASC', 'DESC', 'SCORE'], 'SortOrder');
  return {
    criteria: ((query as unknown[] | null | undefined) ?? []).map(parseCriterion),
    pageSize,
    pageNumber,
    expand: optionalStringArray(request, 'expand', 'UserSearchRequest') ?? [],
    sortOrder: sortOrder === 'DESC' ? 'DESC' : 'ASC',
  };
}

function parseCriterion(raw: unknown): Criterion {
  const criterion = requireObject(raw, 'UserSearchCriteria');
  rejectUnknownProperties(criterion, CRITERIA_PROPERTIES, 'UserSearchCriteria');
  const type = optionalEnum(criterion, 'type', CRITERIA_TYPES, 'UserSearchCriteria.type');
  if (type === undefined) throw badRequest('UserSearchCriteria.type may not be null');
  if (!SUPPORTED_TYPES.includes(type)) {
    throw badRequest(
      `The Genesys emulator does not evaluate search type [${type}]; supported: ${SUPPORTED_TYPES.join(', ')}`,
    );
  }
  const operator = optionalEnum(criterion, 'operator', OPERATORS, 'UserSearchCriteria.operator');
  const group = criterion.group;
  if (group !== undefined && group !== null && !Array.isArray(group)) {
    throw badRequest('UserSearchCriteria.group must be an array');
  }
  const parsed: Criterion = {
    type,
    operator: operator ?? 'AND',
    fields: optionalStringArray(criterion, 'fields', 'UserSearchCriteria') ?? [],
    values: criterionValues(criterion),
    group: ((group as unknown[] | null | undefined) ?? []).map(parseCriterion),
  };
  if (parsed.group.length === 0 && type !== 'MATCH_ALL') {
    if (parsed.fields.length === 0) throw badRequest(`Search type [${type}] requires fields`);
    if (parsed.values.length === 0) throw badRequest(`Search type [${type}] requires a value`);
  }
  return parsed;
}

function criterionValues(criterion: JsonObject): string[] {
  const value = optionalString(criterion, 'value', 'UserSearchCriteria');
  const values = optionalStringArray(criterion, 'values', 'UserSearchCriteria') ?? [];
  return value === undefined ? values : [value, ...values];
}

function matchesValue(type: Criterion['type'], actual: string, expected: string): boolean {
  // Directory search is case-insensitive for the text fields the bot uses.
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (type) {
    case 'STARTS_WITH':
      return a.startsWith(e);
    case 'CONTAINS':
      return a.includes(e);
    default:
      return a === e;
  }
}

function matchesCriterion(user: StoredUser, criterion: Criterion): boolean {
  let matched: boolean;
  if (criterion.group.length > 0) {
    matched =
      criterion.operator === 'OR'
        ? criterion.group.some((inner) => matchesCriterion(user, inner))
        : criterion.group.every((inner) => matchesCriterion(user, inner));
    return criterion.operator === 'NOT' ? !matched : matched;
  }
  if (criterion.type === 'MATCH_ALL') {
    matched = true;
  } else {
    matched = criterion.fields.some((field) => {
      const actual = SEARCHABLE_FIELDS[field]?.(user);
      return (
        actual !== undefined &&
        criterion.values.some((value) => matchesValue(criterion.type, actual, value))
      );
    });
  }
  return criterion.operator === 'NOT' ? !matched : matched;
}

export function runUserSearch(users: readonly StoredUser[], search: UserSearch): StoredUser[] {
  const direction = search.sortOrder === 'DESC' ? -1 : 1;
  return users
    .filter((user) => search.criteria.every((criterion) => matchesCriterion(user, criterion)))
    .sort((a, b) => direction * (a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
}
