// The subset of Slack's Block Kit rules a renderer can break, so a card Slack would refuse fails
// here too (tests, the playground) instead of first in a real workspace.

import { isRecord } from './web-api-protocol.js';

export const MAX_BLOCKS = 50;
const TEXT_LIMITS = new Map([
  ['section', 3000],
  ['header', 150],
]);

type Fail = (pointer: string, problem: string) => void;

/** Slack's own error wording: `<problem> [json-pointer:/blocks/0/text/text]`. */
export function blockErrors(blocks: unknown[], maxBlocks = MAX_BLOCKS): string[] {
  const errors: string[] = [];
  const fail: Fail = (pointer, problem) =>
    errors.push(`${problem} [json-pointer:/blocks${pointer}]`);
  if (blocks.length > maxBlocks) fail('', `must contain at most ${maxBlocks} items`);
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      fail(at, 'must be an object with a type');
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) fail(`${at}/block_id`, 'must be at most 255 characters');
      if (blockIds.has(block.block_id)) fail(`${at}/block_id`, 'must be unique in the message');
      blockIds.add(block.block_id);
    }
    const limit = TEXT_LIMITS.get(block.type) ?? 3000;
    if (block.text !== undefined) checkText(block.text, `${at}/text`, limit, fail);
    if (block.type === 'header' && isRecord(block.text) && block.text.type !== 'plain_text') {
      fail(`${at}/text/type`, 'must be plain_text');
    }
    if (block.type === 'section' && block.text === undefined && block.fields === undefined) {
      fail(at, 'must provide text or fields');
    }
    if (Array.isArray(block.fields)) {
      if (block.fields.length > 10) fail(`${at}/fields`, 'must contain at most 10 items');
      block.fields.forEach((field, i) => {
        checkText(field, `${at}/fields/${i}`, 2000, fail);
      });
    }
    if (Array.isArray(block.elements)) checkElements(block, at, fail);
    if (block.type === 'input') {
      checkText(block.label, `${at}/label`, 2000, fail);
      if (!isRecord(block.element) || typeof block.element.type !== 'string') {
        fail(`${at}/element`, 'must be an object with a type');
      }
    }
  });
  return errors;
}

/** A view (modal or Home tab) as views.open, views.update and views.publish check it. */
export function viewErrors(view: unknown, expectedType?: 'home' | 'modal'): string[] {
  if (!isRecord(view) || (view.type !== 'modal' && view.type !== 'home')) {
    return ['must be a modal or home view [json-pointer:/view/type]'];
  }
  if (expectedType && view.type !== expectedType) {
    return [`must be a ${expectedType} view [json-pointer:/view/type]`];
  }
  const errors: string[] = [];
  if (view.type === 'modal') {
    if (!isRecord(view.title) || view.title.type !== 'plain_text') {
      errors.push('must be a plain_text object [json-pointer:/view/title]');
    } else if (typeof view.title.text !== 'string' || view.title.text.length > 24) {
      errors.push('must be less than 25 characters [json-pointer:/view/title/text]');
    }
    const hasInput =
      Array.isArray(view.blocks) &&
      view.blocks.some((block) => isRecord(block) && block.type === 'input');
    if (hasInput && !isRecord(view.submit)) {
      errors.push('a view with input blocks needs submit [json-pointer:/view/submit]');
    }
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    errors.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (!Array.isArray(view.blocks))
    return [...errors, 'must be an array [json-pointer:/view/blocks]'];
  return [...errors, ...blockErrors(view.blocks, 100)];
}

function checkText(value: unknown, at: string, maxLength: number, fail: Fail): void {
  if (!isRecord(value) || (value.type !== 'plain_text' && value.type !== 'mrkdwn')) {
    fail(`${at}/type`, 'must be a text object of type plain_text or mrkdwn');
    return;
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    fail(`${at}/text`, 'must be more than 0 characters');
  } else if (value.text.length > maxLength) {
    fail(`${at}/text`, `must be less than ${maxLength + 1} characters`);
  }
}

function checkElements(block: Record<string, unknown>, at: string, fail: Fail): void {
  const elements = block.elements as unknown[];
  const maxElements = block.type === 'actions' ? 25 : 10;
  if (elements.length > maxElements)
    fail(`${at}/elements`, `must contain at most ${maxElements} items`);
  const actionIds = new Set<string>();
  elements.forEach((element, i) => {
    const where = `${at}/elements/${i}`;
    if (!isRecord(element) || typeof element.type !== 'string') {
      fail(where, 'must be an object with a type');
      return;
    }
    if (block.type === 'context' && (element.type === 'plain_text' || element.type === 'mrkdwn')) {
      checkText(element, where, 2000, fail);
      return;
    }
    if (typeof element.action_id === 'string') {
      if (element.action_id.length > 255)
        fail(`${where}/action_id`, 'must be at most 255 characters');
      if (actionIds.has(element.action_id))
        fail(`${where}/action_id`, 'must be unique in the block');
      actionIds.add(element.action_id);
    }
    if (element.type === 'button') {
      checkText(element.text, `${where}/text`, 75, fail);
      if (isRecord(element.text) && element.text.type !== 'plain_text') {
        fail(`${where}/text/type`, 'must be plain_text');
      }
      if (typeof element.value === 'string' && element.value.length > 2000) {
        fail(`${where}/value`, 'must be less than 2001 characters');
      }
      if (
        element.style !== undefined &&
        element.style !== 'primary' &&
        element.style !== 'danger'
      ) {
        fail(`${where}/style`, 'must be primary or danger');
      }
    }
  });
}
