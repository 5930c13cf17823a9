// Node's own http.request, kept before nock patches it (outbound-http imports this module first).
import http from "node:http";

export const directRequest = http.request;
