// The entry point: serves the app on PORT, and closes its connections on SIGINT or SIGTERM.
import { createApp } from "./app";
import { loadConfig } from "./config";
import { buildResources } from "./resources";

const config = loadConfig();
const resources = buildResources(config);
const server = createApp(resources.deps).listen(config.port, () => {
  console.log(`${config.appName} listening on http://127.0.0.1:${config.port}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => void resources.close());
  });
}
