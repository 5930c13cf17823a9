const { createApp } = require("./app");
const { loadConfig } = require("./config");
const { buildResources } = require("./resources");

const config = loadConfig();
const resources = buildResources(config);
const server = createApp(resources.deps).listen(config.port, () => {
  console.log(`${config.appName} listening on http://127.0.0.1:${config.port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => void resources.close());
  });
}
