/**
 * Where events travel between the gateway and the workers: one JetStream stream, its subjects
 * one per partition (`civic.events.<partition>`), and one durable consumer per partition. The
 * partition of an event is a stable hash of its subject id, so one person's events always go to
 * the same partition and are priced in the order they were stored.
 */

/** The stream the gateway and the workers use unless told otherwise. */
export const streamNameDefault = "CIVIC_EVENTS";
export const partitionCountDefault = 8;
/** Each partition is a subject and a consumer: a bound on both. */
export const partitionCountMax = 256;

/** Upper case letters, digits and single underscores: every part becomes a subject token. */
const streamNamePattern = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
export const streamNameLengthMax = 64;

export type PipelineTopology = Readonly<{
  stream: string;
  /** `CIVIC_EVENTS` -> `civic.events`: the stream's subjects are `<prefix>.<partition>`. */
  subjectPrefix: string;
  partitionCount: number;
}>;

/** The topology of a stream name and a partition count, or why they cannot make one. */
export function pipelineTopology(
  stream: string = streamNameDefault,
  partitionCount: number = partitionCountDefault,
): PipelineTopology {
  const problem = streamNameProblem(stream) ?? partitionCountProblem(partitionCount);
  if (problem !== undefined) throw new Error(problem);
  return { stream, subjectPrefix: stream.toLowerCase().replaceAll("_", "."), partitionCount };
}

export function streamNameProblem(stream: string): string | undefined {
  if (stream.length <= streamNameLengthMax && streamNamePattern.test(stream)) return undefined;
  return `a stream name is 1 to ${streamNameLengthMax} upper case letters and digits in parts joined by single underscores (e.g. ${streamNameDefault}), not '${stream}'`;
}

function partitionCountProblem(partitionCount: number): string | undefined {
  if (
    Number.isInteger(partitionCount) &&
    partitionCount >= 1 &&
    partitionCount <= partitionCountMax
  )
    return undefined;
  return `the partition count is a whole number from 1 to ${partitionCountMax}, not ${partitionCount}`;
}

export function partitionSubject(topology: PipelineTopology, partition: number): string {
  assertPartition(topology, partition);
  return `${topology.subjectPrefix}.${partition}`;
}

/** Every subject of the stream, in partition order: the stream's configuration. */
export function streamSubjects(topology: PipelineTopology): string[] {
  return Array.from({ length: topology.partitionCount }, (_, partition) =>
    partitionSubject(topology, partition),
  );
}

/** The partition a stream subject names, or undefined when it is not one of the stream's. */
export function partitionOfSubject(
  topology: PipelineTopology,
  subject: string,
): number | undefined {
  const prefix = `${topology.subjectPrefix}.`;
  if (!subject.startsWith(prefix)) return undefined;
  const text = subject.slice(prefix.length);
  const partition = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isInteger(partition) && partition < topology.partitionCount ? partition : undefined;
}

/** The durable consumer of one partition, shared by every worker that takes the partition. */
export function consumerName(partition: number): string {
  return `civic-partition-${partition}`;
}

/**
 * The partition of a subject id: FNV-1a (32 bits) of its UTF-8 bytes, modulo the count. Stable
 * across processes, versions and machines, which `partitionOf` must be: a gateway that hashed
 * differently would split one person's events over two partitions and lose their order.
 */
export function partitionOf(subjectId: string, partitionCount: number): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(subjectId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitionCount;
}

const utf8 = new TextEncoder();

/**
 * `0-3,6` as the sorted partitions 0, 1, 2, 3 and 6 of `partitionCount`; `all` as every
 * partition. Returns a message when the text names none or one out of range.
 */
export function parsePartitions(text: string, partitionCount: number): number[] | string {
  const trimmed = text.trim();
  if (trimmed === "all") return Array.from({ length: partitionCount }, (_, index) => index);
  const chosen = new Set<number>();
  for (const part of trimmed.split(",")) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) return `'${part.trim()}' is neither a partition (3) nor a range (0-7)`;
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (first > last) return `the range ${first}-${last} runs backwards`;
    if (last >= partitionCount) {
      return `partition ${last} does not exist: the stream has partitions 0 to ${partitionCount - 1}`;
    }
    for (let partition = first; partition <= last; partition++) chosen.add(partition);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** `[0, 1, 2, 3, 6]` as `0-3,6`: the inverse of `parsePartitions`, for messages. */
export function formatPartitions(partitions: readonly number[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < partitions.length) {
    const first = partitions[index] as number;
    let last = first;
    while (partitions[index + 1] === last + 1) last = partitions[++index] as number;
    parts.push(first === last ? String(first) : `${first}-${last}`);
    index++;
  }
  return parts.join(",");
}

function assertPartition(topology: PipelineTopology, partition: number): void {
  if (!(Number.isInteger(partition) && partition >= 0 && partition < topology.partitionCount)) {
    throw new Error(`partition ${partition} is outside 0 to ${topology.partitionCount - 1}`);
  }
}
