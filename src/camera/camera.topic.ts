/**
 * Camera topics: `cameras/<camera id>/infractions`, where the camera id is the name of a source
 * of kind `camera`. A prefix (`region-north/`) lets one broker carry several deployments.
 */
export const cameraTopicRoot = "cameras";
export const cameraTopicLeaf = "infractions";

/** A topic quoted in a message is cut to this many characters (a topic may hold 65,535 bytes). */
export const topicShownLengthMax = 200;

/** What a source name may hold (as `civic source add` checks it). */
const cameraIdPattern = /^[A-Za-z0-9._:@-]{1,64}$/;
/** A prefix is plain levels (no wildcards) each ending in `/`, or nothing. */
const topicPrefixPattern = /^([^/#+]+\/)*$/;

export function isTopicPrefix(prefix: string): boolean {
  return topicPrefixPattern.test(prefix);
}

/** The subscription that receives every camera's infractions under `prefix`. */
export function cameraTopicFilter(prefix = ""): string {
  if (!isTopicPrefix(prefix)) throw new Error(`'${prefix}' is not a topic prefix ending in /`);
  return `${prefix}${cameraTopicRoot}/+/${cameraTopicLeaf}`;
}

/** The topic a camera publishes on. */
export function cameraTopic(cameraId: string, prefix = ""): string {
  return `${prefix}${cameraTopicRoot}/${cameraId}/${cameraTopicLeaf}`;
}

export type TopicCamera =
  | Readonly<{ ok: true; cameraId: string }>
  | Readonly<{ ok: false; message: string }>;

/** The camera a topic names, or why it names none. */
export function cameraOfTopic(topic: string, prefix = ""): TopicCamera {
  const head = `${prefix}${cameraTopicRoot}/`;
  const tail = `/${cameraTopicLeaf}`;
  if (
    !topic.startsWith(head) ||
    !topic.endsWith(tail) ||
    topic.length <= head.length + tail.length
  ) {
    return {
      ok: false,
      message: `topic '${shownTopic(topic)}' is not ${cameraTopic("<camera id>", prefix)}`,
    };
  }
  const cameraId = topic.slice(head.length, topic.length - tail.length);
  if (!cameraIdPattern.test(cameraId)) {
    return {
      ok: false,
      message: `topic '${shownTopic(topic)}' does not name a camera: an id is 1 to 64 letters, digits and . _ : @ -`,
    };
  }
  return { ok: true, cameraId };
}

function shownTopic(topic: string): string {
  return topic.length <= topicShownLengthMax ? topic : `${topic.slice(0, topicShownLengthMax)}...`;
}
