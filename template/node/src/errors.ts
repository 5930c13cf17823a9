// How errors become answers: HttpError and ValidationError for the expected ones, the
// client errors Express raises with their status, and the Express handlers for unknown routes
// and for everything else (logged, then a plain 500).
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { ZodError } from "zod";

// Every error answer is `{ "detail": ... }`: a message, or one entry per invalid field.
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export interface FieldError {
  loc: (string | number)[];
  msg: string;
}

export function validationDetail(error: ZodError, where: string): FieldError[] {
  return error.issues.map((issue) => ({ loc: [where, ...issue.path.map((part) => (typeof part === "number" ? part : String(part)))], msg: issue.message }));
}

export class ValidationError extends HttpError {
  readonly detail: FieldError[];

  constructor(detail: FieldError[]) {
    super(422, "Validation failed");
    this.detail = detail;
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `Not found: ${req.method} ${req.path}`));
};

// An error Express or its body parser raised for a bad request, with the status it calls for
// (http-errors): 400 for a malformed path, 413 for a body over the limit, 415 for an
// unsupported charset...
function isClientError(error: unknown): error is Error & { status: number } {
  if (!(error instanceof Error) || !("status" in error)) {
    return false;
  }
  return typeof error.status === "number" && error.status >= 400 && error.status < 500;
}

export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof ValidationError) {
    res.status(422).json({ detail: error.detail });
    return;
  }
  if (error instanceof HttpError) {
    res.set(error.headers).status(error.status).json({ detail: error.message });
    return;
  }
  if (error instanceof SyntaxError && "body" in error) {
    res.status(400).json({ detail: "The request body is not valid JSON" });
    return;
  }
  if (isClientError(error)) {
    res.status(error.status).json({ detail: error.message });
    return;
  }
  console.error(error);
  res.status(500).json({ detail: "Internal Server Error" });
};
