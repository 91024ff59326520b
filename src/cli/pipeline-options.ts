import { type Command, InvalidArgumentError, Option } from "commander";
import { natsUrlDefault } from "../pipeline/nats.link.js";
import {
  type PipelineTopology,
  partitionCountDefault,
  partitionCountMax,
  pipelineTopology,
  streamNameDefault,
  streamNameProblem,
} from "../pipeline/pipeline.topology.js";
import { wholeNumberOption } from "./options.js";

/** `--nats`, `--stream` and `--partition-count`: what `civic gateway` and `civic worker` share. */
export function pipelineOptions(): Option[] {
  return [
    new Option("--nats <url>", "the NATS server with JetStream, e.g. nats://host:4222")
      .env("CIVIC_NATS")
      .argParser(parseNatsUrl)
      .default(natsUrlDefault),
    new Option(
      "--stream <name>",
      "the JetStream stream of events; its subjects are the lower-cased name with dots (CIVIC_EVENTS: civic.events.<partition>)",
    )
      .env("CIVIC_STREAM")
      .argParser(parseStreamName)
      .default(streamNameDefault),
    new Option(
      "--partition-count <n>",
      "partitions of the stream (fixed when the stream is created; every gateway and worker must agree)",
    )
      .env("CIVIC_PARTITION_COUNT")
      .argParser(wholeNumberOption(1, partitionCountMax))
      .default(partitionCountDefault),
  ];
}

export type PipelineFlags = Readonly<{ nats: string; stream: string; partitionCount: number }>;

export function topologyOf(command: Command): PipelineTopology {
  const { stream, partitionCount } = command.opts<PipelineFlags>();
  return pipelineTopology(stream, partitionCount);
}

function parseNatsUrl(value: string): string {
  const urls = value.split(",").map((url) => url.trim());
  for (const url of urls) {
    if (!/^(nats|tls):\/\/[^\s/]+(:\d+)?\/?$/.test(url) && !/^[^\s/:]+:\d+$/.test(url)) {
      throw new InvalidArgumentError(
        "expected nats://host:port (or several, separated by commas) or host:port",
      );
    }
  }
  return urls.join(",");
}

function parseStreamName(value: string): string {
  const problem = streamNameProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return value;
}
