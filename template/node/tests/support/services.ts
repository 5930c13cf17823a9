// How the tests find each service, in one order, once per run (Jest globalSetup):
//
// 1. an explicit URL in the environment (TEST_<SERVICE>_URL): CI service containers,
//    `make services-up`, or any server you point it at;
// 2. otherwise Testcontainers, when a Docker engine answers; the containers start in
//    globalSetup and reach the workers through the same environment variables;
// 3. otherwise one failure, within seconds, naming each missing service, what was tried
//    and the command that starts it.
import {
  containerImage,
  dockerProblem,
  startContainer,
  withTimeout,
  type ContainerSpec,
  type StartedService,
} from "./containers";
import { CONNECT_TIMEOUT_MS } from "./names";

export type { StartedService };

export interface Service {
  key: string;
  title: string;
  envVar: string;
  // A real round trip; rejects when the service is not usable.
  check(url: string): Promise<void>;
  startCommand: string;
  container: ContainerSpec;
  // Run-level set-up once every service answers, and its undoing (globalSetup, globalTeardown).
  prepareRun?(workers: number): Promise<void>;
  finishRun?(workers: number): Promise<void>;
}

// What globalSetup started, for globalTeardown (both run in Jest's main process).
export interface TestRun {
  services: Service[];
  containers: StartedService[];
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message || (error as { code?: string }).code || ""}` : String(error);
  return text.split("\n")[0]!.trim();
}

// Makes every service's variable point at a working server, or throws one error naming them all.
export async function resolveServices(services: Service[], containers: StartedService[]): Promise<void> {
  const problems: string[] = [];
  const missing: Service[] = [];
  await Promise.all(
    services.map(async (service) => {
      const url = process.env[service.envVar];
      if (!url) {
        missing.push(service);
        return;
      }
      try {
        await withTimeout(service.check(url), CONNECT_TIMEOUT_MS + 1000, `${service.title} check`);
      } catch (error) {
        problems.push(
          `- ${service.title}: ${service.envVar}=${url} did not answer (${describe(error)}).\n` +
            `  Start it (\`${service.startCommand}\`), or point ${service.envVar} at a running server.`,
        );
      }
    }),
  );
  if (missing.length > 0) {
    const docker = await dockerProblem();
    for (const service of missing) {
      if (docker) {
        problems.push(
          `- ${service.title}: ${service.envVar} is not set and Testcontainers cannot run: ${docker}.\n` +
            `  Start it (\`${service.startCommand}\`) and export ${service.envVar}, or start Docker.`,
        );
        continue;
      }
      try {
        const started = await startContainer(service.container);
        containers.push(started);
        await service.check(started.url);
        process.env[service.envVar] = started.url;
      } catch (error) {
        problems.push(
          `- ${service.title}: Testcontainers could not start ${containerImage(service.container)} (${describe(error)}).\n` +
            `  Set ${service.container.imageVar} to an image Docker has or can pull (a registry mirror, say).`,
        );
      }
    }
  }
  if (problems.length > 0) {
    await Promise.all(containers.splice(0).map((container) => container.stop()));
    throw new Error(`Test services are not reachable:\n${problems.join("\n")}`);
  }
}

// globalSetup: find every service (or throw), then do each one's run-level set-up.
export async function startRun(services: Service[], workers: number): Promise<TestRun> {
  const run: TestRun = { services, containers: [] };
  await resolveServices(services, run.containers);
  try {
    for (const service of services) {
      await service.prepareRun?.(workers);
    }
  } catch (error) {
    await finishRun(run, workers);
    throw error;
  }
  return run;
}

// globalTeardown: undo the run-level set-up and stop the containers started for this run.
export async function finishRun(run: TestRun | undefined, workers: number): Promise<void> {
  for (const service of run?.services ?? []) {
    await service.finishRun?.(workers);
  }
  await Promise.all((run?.containers ?? []).splice(0).map((container) => container.stop()));
}
