// Testcontainers, used only when a service has no TEST_*_URL and a Docker engine answers.
// Loaded on first use: the package takes ~0.3 s to load, which a run given every URL never needs.
const testcontainers = () => import("testcontainers");

export interface StartedService {
  url: string;
  stop(): Promise<unknown>;
}

// `promise`, or a rejection naming `what` once `ms` have passed.
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Why Testcontainers cannot run here, or undefined when a Docker engine answers.
export async function dockerProblem(): Promise<string | undefined> {
  try {
    const { getContainerRuntimeClient } = await testcontainers();
    await withTimeout(getContainerRuntimeClient(), 3000, "looking for a Docker engine");
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `no Docker engine (${message.split("\n")[0]!.slice(0, 120)})`;
  }
}

// How to run one service in a container; each service's support module describes its own.
export interface ContainerSpec {
  // The official image, unless the variable `imageVar` names another (a registry mirror, a stand-in).
  image: string;
  imageVar: string;
  port: number;
  environment?: Record<string, string>;
  command?: string[];
  // Kept in memory: test data is thrown away anyway.
  tmpfs?: string;
  // The log line that says the server accepts clients, and how many times it must appear.
  readyLog: RegExp;
  readyLogTimes?: number;
  startupTimeoutMs?: number;
  url(host: string, port: number): string;
}

export function containerImage(spec: ContainerSpec): string {
  return process.env[spec.imageVar] || spec.image;
}

export async function startContainer(spec: ContainerSpec): Promise<StartedService> {
  const { GenericContainer, getContainerRuntimeClient, Wait } = await testcontainers();
  // A container that remembers its id, so that one failing to start or to become ready is
  // removed, not left behind (where Testcontainers' reaper is off, nothing else would remove it).
  class TestContainer extends GenericContainer {
    createdId: string | undefined = undefined;

    protected override async containerCreated(containerId: string): Promise<void> {
      this.createdId = containerId;
    }
  }

  let container = new TestContainer(containerImage(spec))
    .withExposedPorts(spec.port)
    .withWaitStrategy(Wait.forLogMessage(spec.readyLog, spec.readyLogTimes ?? 1));
  if (spec.environment) {
    container = container.withEnvironment(spec.environment);
  }
  if (spec.command) {
    container = container.withCommand(spec.command);
  }
  if (spec.tmpfs) {
    container = container.withTmpFs({ [spec.tmpfs]: "rw" });
  }
  if (spec.startupTimeoutMs) {
    container = container.withStartupTimeout(spec.startupTimeoutMs);
  }
  try {
    const started = await container.start();
    return { url: spec.url(started.getHost(), started.getMappedPort(spec.port)), stop: () => started.stop() };
  } catch (error) {
    if (container.createdId) {
      const client = await getContainerRuntimeClient();
      await client.container.dockerode
        .getContainer(container.createdId)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    }
    throw error;
  }
}
