import { z } from "zod";
import { type NotificationPosition, notificationKinds } from "../ledger/notifications.js";
import type { InquiryPosition } from "../store/access.store.js";

/**
 * Cursors of the lists that run newest first: the time (milliseconds) and the id of the last
 * item of a page, `<at>:<id>`, which a client passes back unchanged as `after`. A position, not
 * an offset: items written between two pages do not move the next one.
 */

/**
 * Longer than any cursor this API answers. A notification's key may hold a benefit's id, which
 * the rulebook does not bound: this is the bound, generously.
 */
export const cursorLengthMax = 1_024;

const instant = "(-?\\d{1,15})";
const id = "([1-9]\\d{0,14})";
const inquiryCursor = new RegExp(`^${instant}:${id}$`);
const notificationCursor = new RegExp(`^${instant}:([a-z_]+):([A-Za-z0-9_:-]+)$`);
const positiveId = new RegExp(`^${id}$`);

export function formatInquiryCursor(position: InquiryPosition): string {
  return `${position.at}:${position.id}`;
}

export function parseInquiryCursor(text: string): InquiryPosition | undefined {
  const match = inquiryCursor.exec(text);
  if (!match) return undefined;
  return { at: Number(match[1]), id: Number(match[2]) };
}

/** `<at>:<notification id>`, the id being `<kind>:<key>`. */
export function formatNotificationCursor(position: NotificationPosition): string {
  return `${position.at}:${position.kind}:${position.key}`;
}

export function parseNotificationCursor(text: string): NotificationPosition | undefined {
  const match = notificationCursor.exec(text);
  const kind = notificationKinds.find((known) => known === match?.[2]);
  const key = match?.[3];
  if (!match || kind === undefined || key === undefined) return undefined;
  // An inquiry's key is its id: the feed pages its inquiries from the store by it.
  if (kind === "inquiry_made" && !positiveId.test(key)) return undefined;
  return { at: Number(match[1]), kind, key };
}

/** The `after` query parameter of a list paged by `parse`'s cursors: a position once valid. */
export function afterCursorSchema<Position>(parse: (text: string) => Position | undefined) {
  return z
    .string()
    .max(cursorLengthMax)
    .transform((text, context) => {
      const position = parse(text);
      if (position !== undefined) return position;
      context.addIssue({
        code: "custom",
        message: "is not a cursor of this list: pass back a `next` it answered, unchanged",
      });
      return z.NEVER;
    })
    .optional()
    .describe("the `next` of the previous page, unchanged; absent for the newest page");
}
