// The SDK's models, typed loosely (every field optional), mapped to the shapes the bot relies on.
import type platformClient from 'purecloud-platform-client-v2';
import type {
  GdprReplacementTerm,
  GdprRequest,
  GdprRequestType,
  GdprStatus,
  GdprSubject,
  GenesysUser,
  GenesysUserState,
} from './types.js';

export type SdkUser = platformClient.Models.User;
export type SdkGdprRequest = platformClient.Models.GDPRRequest;

export function toUser(user: SdkUser): GenesysUser {
  const result: GenesysUser = {
    id: user.id ?? '',
    name: user.name ?? '',
    email: user.email ?? '',
    state: (user.state ?? 'active') as GenesysUserState,
    version: user.version,
  };
  if (user.department) result.department = user.department;
  if (user.title) result.title = user.title;
  if (user.division?.id) {
    result.division = { id: user.division.id };
    if (user.division.name) result.division.name = user.division.name;
  }
  return result;
}

export function toGdprRequest(request: SdkGdprRequest): GdprRequest {
  const result: GdprRequest = {
    id: request.id ?? '',
    requestType: request.requestType as GdprRequestType,
    status: request.status as GdprStatus,
    createdDate: request.createdDate,
    subject: (request.subject ?? {}) as GdprSubject,
  };
  if (request.createdBy) {
    result.createdBy = {};
    if (request.createdBy.id) result.createdBy.id = request.createdBy.id;
    if (request.createdBy.name) result.createdBy.name = request.createdBy.name;
  }
  if (request.replacementTerms) {
    result.replacementTerms = request.replacementTerms as GdprReplacementTerm[];
  }
  if (request.resultsUrl) result.resultsUrl = request.resultsUrl;
  return result;
}
