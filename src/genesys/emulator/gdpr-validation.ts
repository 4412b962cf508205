import { badRequest, invalidQueryParam, invalidValue } from './api-error.js';
import {
  type JsonObject,
  optionalEnum,
  optionalString,
  optionalStringArray,
  rejectUnknownProperties,
  requireObject,
} from './json-shape.js';
import type {
  EmulatedGdprRequestType,
  EmulatedGdprSubject,
  EmulatedReplacementTerm,
} from './types.js';

// The rules POST /api/v2/gdpr/requests enforces. The erasure is irreversible, so the emulator is
// deliberately as strict as the real service: a bot that passes here files requests Genesys takes.

export const GDPR_REQUEST_TYPES = ['GDPR_EXPORT', 'GDPR_UPDATE', 'GDPR_DELETE'] as const;

export const REPLACEMENT_TERM_TYPES = [
  'NAME',
  'ADDRESS',
  'PHONE',
  'EMAIL',
  'TWITTER',
  'INSTAGRAM',
  'FACEBOOK',
  'APPLE_MESSAGES',
  'EXTERNAL_ID',
] as const;

const SOCIAL_HANDLE_TYPES = ['TWITTER', 'INSTAGRAM', 'FACEBOOK', 'APPLE_MESSAGES'] as const;

// Read-only fields are declared by GDPRRequest, so sending them back is allowed (and ignored).
const REQUEST_PROPERTIES = [
  'id',
  'name',
  'createdBy',
  'replacementTerms',
  'requestType',
  'createdDate',
  'status',
  'subject',
  'resultsUrl',
  'resultsUrls',
  'selfUri',
] as const;

const SUBJECT_PROPERTIES = [
  'name',
  'userId',
  'externalContactId',
  'dialerContactId',
  'journeyCustomer',
  'socialHandle',
  'externalId',
  'addresses',
  'phoneNumbers',
  'emailAddresses',
] as const;

export interface GdprCreateRequest {
  name?: string;
  requestType: EmulatedGdprRequestType;
  subject: EmulatedGdprSubject;
  replacementTerms?: EmulatedReplacementTerm[];
  deleteConfirmed: boolean;
}

export function parseBooleanQuery(name: string, value: string | null): boolean {
  if (value === null) return false;
  const normalised = value.toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw invalidQueryParam(name, value, ['true', 'false']);
}

export function parseGdprCreate(body: unknown, deleteConfirmed: boolean): GdprCreateRequest {
  const request = requireObject(body, 'GDPRRequest');
  rejectUnknownProperties(request, REQUEST_PROPERTIES, 'GDPRRequest');
  const requestType = optionalEnum(request, 'requestType', GDPR_REQUEST_TYPES, 'GDPRRequestType');
  if (requestType === undefined) throw badRequest('requestType may not be null');
  if (request.subject === undefined || request.subject === null) {
    throw badRequest('subject may not be null');
  }
  const subject = parseSubject(request.subject);
  const replacementTerms = parseReplacementTerms(request.replacementTerms);
  if (replacementTerms !== undefined && requestType !== 'GDPR_UPDATE') {
    throw badRequest('replacementTerms are only allowed for requests of type GDPR_UPDATE');
  }
  if (
    requestType === 'GDPR_UPDATE' &&
    (replacementTerms === undefined || replacementTerms.length === 0)
  ) {
    throw badRequest('A GDPR_UPDATE request requires at least one replacementTerm');
  }
  if (requestType === 'GDPR_DELETE' && !deleteConfirmed) {
    throw badRequest(
      'A GDPR_DELETE request must be confirmed with the query parameter deleteConfirmed=true',
    );
  }
  const parsed: GdprCreateRequest = { requestType, subject, deleteConfirmed };
  const name = optionalString(request, 'name', 'GDPRRequest');
  if (name !== undefined) parsed.name = name;
  if (replacementTerms !== undefined) parsed.replacementTerms = replacementTerms;
  return parsed;
}

function parseSubject(raw: unknown): EmulatedGdprSubject {
  const source = requireObject(raw, 'GDPRSubject');
  rejectUnknownProperties(source, SUBJECT_PROPERTIES, 'GDPRSubject');
  const subject: EmulatedGdprSubject = {};
  for (const key of ['name', 'userId', 'externalContactId', 'externalId'] as const) {
    const value = optionalString(source, key, 'GDPRSubject');
    if (value !== undefined && value.trim() !== '') subject[key] = value;
  }
  for (const key of ['addresses', 'phoneNumbers', 'emailAddresses'] as const) {
    const values = optionalStringArray(source, key, 'GDPRSubject')?.filter((v) => v.trim() !== '');
    if (values !== undefined && values.length > 0) subject[key] = values;
  }
  const dialerContactId = optionalPair(source, 'dialerContactId', ['id', 'contactListId']);
  if (dialerContactId) subject.dialerContactId = dialerContactId;
  const journeyCustomer = optionalPair(source, 'journeyCustomer', ['type', 'id']);
  if (journeyCustomer) subject.journeyCustomer = journeyCustomer;
  const socialHandle = optionalPair(source, 'socialHandle', ['type', 'value']);
  if (socialHandle) {
    if (
      socialHandle.type !== undefined &&
      !(SOCIAL_HANDLE_TYPES as readonly string[]).includes(socialHandle.type)
    ) {
      throw invalidValue(socialHandle.type, 'SocialHandle.type', SOCIAL_HANDLE_TYPES);
    }
    subject.socialHandle = socialHandle;
  }
  if (Object.keys(subject).length === 0) {
    throw badRequest('subject must contain at least one search term');
  }
  return subject;
}

function optionalPair(
  source: JsonObject,
  key: string,
  fields: readonly string[],
): Record<string, string> | undefined {
  const raw = source[key];
  if (raw === undefined || raw === null) return undefined;
  const object = requireObject(raw, key);
  rejectUnknownProperties(object, fields, key);
  const pair: Record<string, string> = {};
  for (const field of fields) {
    const value = optionalString(object, field, key);
    if (value !== undefined && value !== '') pair[field] = value;
  }
  return Object.keys(pair).length > 0 ? pair : undefined;
}

function parseReplacementTerms(raw: unknown): EmulatedReplacementTerm[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw badRequest('replacementTerms must be an array');
  return raw.map((item) => {
    const term = requireObject(item, 'ReplacementTerm');
    rejectUnknownProperties(term, ['type', 'existingValue', 'updatedValue'], 'ReplacementTerm');
    const type = optionalEnum(term, 'type', REPLACEMENT_TERM_TYPES, 'ReplacementTerm.type');
    const existingValue = optionalString(term, 'existingValue', 'ReplacementTerm');
    const updatedValue = optionalString(term, 'updatedValue', 'ReplacementTerm');
    if (type === undefined) throw badRequest('ReplacementTerm.type may not be null');
    if (!existingValue) throw badRequest('ReplacementTerm.existingValue may not be empty');
    if (!updatedValue) throw badRequest('ReplacementTerm.updatedValue may not be empty');
    return { type, existingValue, updatedValue };
  });
}
